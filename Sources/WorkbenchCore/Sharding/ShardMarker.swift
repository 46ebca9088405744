import Foundation

/// The completion marker of one shard, `shard-R-of-N.done.json`, written atomically after every
/// output of the shard: its presence says the shard finished, and its records let a relaunch or a
/// merge check (by size and SHA-256) that the outputs are still whole.
public struct ShardMarker: Sendable, Codable, Equatable {
    /// Format name and version, checked on load.
    public var format: String
    /// Which shard.
    public var rank: Int
    /// Of how many.
    public var worldSize: Int
    /// The job the shard belongs to (command, format, compressor, corpus fingerprint, split), so a
    /// relaunch with other settings into the same directory is refused instead of mixed in.
    public var job: String
    /// The corpus units this shard covered, and how many units the corpus has.
    public var unitLowerBound: Int
    /// End of the covered units (exclusive).
    public var unitUpperBound: Int
    /// Units in the whole corpus.
    public var unitCount: Int
    /// What the shard processed.
    public var counts: ShardCounts
    /// Every output file, in merge order of concern (main output first).
    public var outputs: [OutputFileRecord]

    /// The format this code writes and reads.
    public static let currentFormat = "workbench.shard-marker/1"

    /// Creates a marker.
    public init(
        assignment: ShardAssignment, job: String, units: Range<Int>, unitCount: Int, counts: ShardCounts,
        outputs: [OutputFileRecord]
    ) {
        format = ShardMarker.currentFormat
        rank = assignment.rank
        worldSize = assignment.worldSize
        self.job = job
        unitLowerBound = units.lowerBound
        unitUpperBound = units.upperBound
        self.unitCount = unitCount
        self.counts = counts
        self.outputs = outputs
    }

    /// The marker file name of a shard.
    public static func fileName(_ assignment: ShardAssignment) -> String { assignment.stem + ".done.json" }

    /// Reads a marker.
    /// - Throws: `WorkbenchError` naming the file when it is unreadable, not a marker or of
    ///   another format version.
    public static func load(from path: String) throws(WorkbenchError) -> ShardMarker {
        let marker: ShardMarker
        do {
            marker = try JSONDecoder().decode(ShardMarker.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw WorkbenchError("\(path): not a readable shard marker (\(error)); delete it to redo the shard")
        }
        guard marker.format == currentFormat else {
            throw WorkbenchError(
                "\(path): marker format '\(marker.format)' is not '\(currentFormat)'; redo the shard with this workbench")
        }
        return marker
    }
}
