import WorkbenchCore

/// Which rows of every global batch one rank of a sharded training-stream export holds.
///
/// The rule is contiguous: with a global batch of B sequences and N ranks (N must divide B), rank
/// R holds rows `R*B/N ..< (R+1)*B/N` of every step's batch, in order. That is what a
/// data-parallel trainer feeds rank R: the ranks' rows, stacked in rank order, are the global
/// batch, so N ranks averaging their gradients (each normalized by the global batch's weight sum)
/// take exactly the step one process takes on the whole batch. Contiguous rather than strided so
/// that a rank reading an unsharded export also reads one contiguous run of rows per step.
public struct TrainingStreamRows: Codable, Equatable, Sendable {
    /// The rule in words, recorded in every header.
    public var rule = "contiguous: rank R of N holds rows R*B/N ..< (R+1)*B/N of every global batch of B rows"
    /// This shard's rank (0 unsharded).
    public var rank: Int
    /// Ranks sharing the stream (1 unsharded).
    public var worldSize: Int
    /// Sequences per step across all ranks (B).
    public var globalBatch: Int
    /// The first global row this shard holds.
    public var firstRow: Int
    /// Rows per step in this shard (B / N).
    public var rowsPerStep: Int

    /// The rows of `assignment` (nil: every row).
    /// - Throws: `WorkbenchError` when the world size does not divide the batch.
    public init(globalBatch: Int, assignment: ShardAssignment?) throws(WorkbenchError) {
        let rank = assignment?.rank ?? 0
        let worldSize = assignment?.worldSize ?? 1
        try Self.check(globalBatch: globalBatch, worldSize: worldSize)
        self.rank = rank
        self.worldSize = worldSize
        self.globalBatch = globalBatch
        rowsPerStep = globalBatch / worldSize
        firstRow = rank * rowsPerStep
    }

    /// Refuses a world size that does not divide the batch: each rank must hold the same number
    /// of whole sequences per step.
    /// - Throws: `WorkbenchError` naming both numbers and what to do.
    public static func check(globalBatch: Int, worldSize: Int) throws(WorkbenchError) {
        guard worldSize >= 1, globalBatch >= 1, globalBatch % worldSize == 0 else {
            throw WorkbenchError(
                "--world-size \(worldSize) does not divide the batch of \(globalBatch) sequences: every rank must hold the same number of rows of each step; choose a --batch that is a multiple of the world size, or another --world-size"
            )
        }
    }

    /// The rows of one step's batch this shard holds.
    public var rows: Range<Int> { firstRow..<(firstRow + rowsPerStep) }
}
