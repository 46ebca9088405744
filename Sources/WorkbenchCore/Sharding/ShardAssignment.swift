/// Which part of a corpus one worker of a sharded run processes.
///
/// The rule (datatrove-style, stated in `workbench export --help` and docs/scale.md): the corpus
/// is a sequence of units, numbered in corpus order: for a directory, its files (sorted by relative
/// path; each file is one document); for a JSONL file, its non-blank lines (each one document,
/// whether or not it parses); for a plain file, the one file. With U units and N workers, rank R
/// takes the contiguous units `R * U / N ..< (R + 1) * U / N` (integer division). Contiguous ranges
/// make `workbench merge` a concatenation in rank order, so the merged output is byte-identical to
/// an unsharded run. The split filter (`--split`) applies inside each rank's range.
public struct ShardAssignment: Sendable, Equatable, Codable {
    /// This worker's rank, 0 ..< worldSize.
    public var rank: Int
    /// How many workers share the corpus.
    public var worldSize: Int

    /// The whole corpus in one worker.
    public static let single = ShardAssignment(uncheckedRank: 0, worldSize: 1)

    /// Creates an assignment.
    /// - Throws: `WorkbenchError` for a world size below 1 or a rank outside 0 ..< worldSize.
    public init(rank: Int, worldSize: Int) throws(WorkbenchError) {
        guard worldSize >= 1 else {
            throw WorkbenchError("--world-size \(worldSize) must be at least 1")
        }
        guard (0..<worldSize).contains(rank) else {
            throw WorkbenchError(
                "--rank \(rank) is outside 0...\(worldSize - 1) for --world-size \(worldSize); ranks count from 0 (SLURM_ARRAY_TASK_ID with --array=0-\(worldSize - 1))"
            )
        }
        self.init(uncheckedRank: rank, worldSize: worldSize)
    }

    private init(uncheckedRank rank: Int, worldSize: Int) {
        self.rank = rank
        self.worldSize = worldSize
    }

    /// The units this rank processes out of `unitCount`.
    public func units(of unitCount: Int) -> Range<Int> {
        let lower = rank * unitCount / worldSize
        let upper = (rank + 1) * unitCount / worldSize
        return lower..<upper
    }

    /// The file name stem of this shard's outputs: `shard-R-of-N`.
    public var stem: String { "shard-\(rank)-of-\(worldSize)" }
}
