import Foundation
import WorkbenchCore

/// Runs a corpus-wide job unsharded (`--out` is the output) or as one shard of a sharded run
/// (`--out` is the shard directory; skip if already complete, else redo and mark complete).
public enum CorpusJobRunner {
    /// What a run did.
    public struct Outcome {
        /// What was written (for a skipped shard, what its marker records).
        public var counts: ShardCounts
        /// True when the shard was already complete and nothing was written.
        public var skipped = false
    }

    /// Runs the job.
    public static func run(
        _ format: some CorpusJobFormat, stream: CorpusStream, unitCount: Int, split: CorpusSplit, jobs: Int,
        assignment: ShardAssignment?, out: String?
    ) throws -> Outcome {
        guard let assignment else {
            let units = 0..<unitCount
            guard let out else {
                return Outcome(counts: try writeToStandardOutput(format, stream: stream, units: units, split: split, jobs: jobs))
            }
            let (counts, _) = try write(format, stream: stream, units: units, split: split, jobs: jobs, shard: nil) {
                OutputLayout.path(kind: format.kind, out: out, mainSuffix: format.mainSuffix, suffix: $0)
            }
            return Outcome(counts: counts)
        }
        guard let out else {
            throw WorkbenchError("a sharded run (--rank/--world-size) needs --out DIR for its shard-R-of-N files")
        }
        let directory = try ShardDirectory(path: out, create: true)
        try directory.checkWorldSize(assignment.worldSize)
        // Held until the shard's marker is written (released when this scope ends).
        let lock = try ShardLock(assignment, in: directory)
        if let unsupported = lock.unsupported { log.warning("\(unsupported)") }
        defer { withExtendedLifetime(lock) {} }
        // The job (which includes the corpus fingerprint) is needed now only to check a marker.
        let hasMarker = FileManager.default.fileExists(atPath: directory.file(ShardMarker.fileName(assignment)))
        let (done, problem) = hasMarker ? try directory.completedShard(assignment, job: try format.job) : (nil, nil)
        if let done {
            log.info("\(assignment.stem) is already complete in \(out) (marker verified: \(done.outputs.count) files); skipping")
            return Outcome(counts: done.counts, skipped: true)
        }
        if let problem { log.warning("redoing \(assignment.stem): \(problem)") }
        directory.clear(assignment)
        let units = assignment.units(of: unitCount)
        let shard = ShardHeader(
            rank: assignment.rank, worldSize: assignment.worldSize, unitLowerBound: units.lowerBound,
            unitUpperBound: units.upperBound, unitCount: unitCount)
        let (counts, outputs) = try write(format, stream: stream, units: units, split: split, jobs: jobs, shard: shard) {
            directory.file(assignment.stem + $0)
        }
        try directory.writeMarker(
            ShardMarker(
                assignment: assignment, job: try format.job, units: units, unitCount: unitCount, counts: counts,
                outputs: outputs))
        return Outcome(counts: counts)
    }

    private static func write(
        _ format: some CorpusJobFormat, stream: CorpusStream, units: Range<Int>, split: CorpusSplit, jobs: Int,
        shard: ShardHeader?, path: (String) -> String
    ) throws -> (ShardCounts, [OutputFileRecord]) {
        try createParentDirectory(of: path(format.mainSuffix))
        let main = try AtomicFileWriter(path: path(format.mainSuffix))
        let index = format.writesIndex ? try AtomicFileWriter(path: path(".idx")) : nil
        var offset: UInt64 = 0
        try index?.write(littleEndianBytes(offset))
        let pipeline = DocumentPipeline(stream: stream, units: units, split: split, jobs: jobs)
        let counts = try pipeline.run(record: { try format.record($0) }) { record in
            try main.write(record.payload)
            offset += UInt64(record.items)
            try index?.write(littleEndianBytes(offset))
        }
        var outputs = [try main.commit()]
        if let index { outputs.append(try index.commit()) }
        for (suffix, bytes) in try format.trailingFiles(counts: counts, shard: shard) {
            // A companion may sit in a folder of its own (`<prefix>.tokenizer/tokenizer.json`).
            try createParentDirectory(of: path(suffix))
            let file = try AtomicFileWriter(path: path(suffix))
            try file.write(bytes)
            var record = try file.commit()
            if suffix.dropFirst().contains("/") {
                let url = URL(fileURLWithPath: path(suffix))
                record.name = url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
            }
            outputs.append(record)
        }
        return (counts, outputs)
    }

    private static func writeToStandardOutput(
        _ format: some CorpusJobFormat, stream: CorpusStream, units: Range<Int>, split: CorpusSplit, jobs: Int
    ) throws -> ShardCounts {
        let pipeline = DocumentPipeline(stream: stream, units: units, split: split, jobs: jobs)
        var buffer: [UInt8] = []
        let counts = try pipeline.run(record: { try format.record($0) }) { record in
            buffer += record.payload
            if buffer.count >= 1 << 20 {
                try StandardStreams.writeStandardOutput(buffer, what: "the \(format.kind) output")
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try StandardStreams.writeStandardOutput(buffer, what: "the \(format.kind) output")
        return counts
    }

    /// Creates the folders above an output (`--out data/new/ac` makes `data/new`), as the README's
    /// examples assume.
    /// - Throws: `WorkbenchError` naming the folder and the system's reason.
    public static func createParentDirectory(of path: String) throws {
        try SystemWrite.makeDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    public static func littleEndianBytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
