import Foundation
import WorkbenchCore

/// Runs `MeasurementRequest`s: in this process (what a `_measure` child does, and what tests call),
/// or in a child process with a time limit (what `compare` does, so that a plugin that crashes or
/// hangs fails its own row, not the comparison).
public enum MeasuringChild {
    /// Measures in this process and writes the result file.
    ///
    /// Streamed: the split is read from disk on every pass, never held. Fixed heap thresholds: a
    /// batch's blocks are reused while still in cache (128 KiB made every span array a fresh
    /// mmap, and bytes encoded at a fifth of its speed), and the heap does not creep with the
    /// stream as glibc's sliding threshold lets it (docs/scale.md).
    /// - Throws: `WorkbenchError` when the corpus cannot be opened or the result cannot be written;
    ///   a compressor's failure is a failed row, not an error.
    @discardableResult
    public static func run(_ request: MeasurementRequest, registry: CompressorRegistry) throws -> CompressorResult {
        MemoryPolicy.boundRetainedMemory(mmapThreshold: 1 << 20, trimThreshold: 4 << 20)
        var stream = try CorpusStream(path: request.corpusPath, options: request.readOptions)
        if let path = request.splitAssignmentPath {
            guard let data = FileManager.default.contents(atPath: path),
                let assignment = try? JSONDecoder().decode(SplitAssignment.self, from: data)
            else {
                throw WorkbenchError("cannot read the split assignment '\(path)' the comparison wrote; rerun the comparison")
            }
            stream.splitAssignment = assignment
        }
        let documents = try StreamedSplit(stream, split: request.split)
        let context = TrainingContext.make(
            .stream(stream, corpusSHA256: { [sha256 = request.corpusSHA256] in sha256 }),
            runDirectory: RunDirectory(path: request.runDirectory))
        let row = CompressorMeasurement(registry: registry, passes: request.passes).measure(
            request.spec, documents: documents, context: context, statistics: request.statistics,
            progress: ProgressReporter())
        try AtomicFile.writeJSON(row, to: request.resultPath)
        return row
    }

    /// A measurer that runs each request in a child process of this binary (`_measure`), limited
    /// to `timeoutSeconds`; a crash, a hang or a failed child becomes a failed row with its reason
    /// and the tail of its output.
    public static func spawning(timeoutSeconds: Double) -> @Sendable (MeasurementRequest) throws -> CompressorResult {
        { request in
            try? FileManager.default.removeItem(atPath: request.resultPath)
            let outcome = try ChildProcess.runSelf(try request.childArguments(), timeoutSeconds: timeoutSeconds)
            if outcome.status == 0, let data = FileManager.default.contents(atPath: request.resultPath),
                let row = try? JSONDecoder().decode(CompressorResult.self, from: data)
            {
                return row
            }
            let reason: String
            if outcome.status == nil {
                reason = "timed out after \(Int(timeoutSeconds)) s (--timeout)"
            } else if outcome.crashed {
                reason = "crashed (signal \(outcome.status ?? 0))"
            } else {
                reason = "its measurement exited with status \(outcome.status ?? -1)"
            }
            let tail = outcome.standardErrorTail.split(separator: "\n").suffix(3).joined(separator: " | ")
            let row = CompressorResult(
                id: request.spec.id, spec: request.spec, descriptor: nil, status: .failed,
                error: "\(request.spec): \(reason)" + (tail.isEmpty ? "" : "; last output: \(tail)"))
            log.error("\(row.error ?? "")")
            return row
        }
    }

    /// A measurer that runs each request in this process (tests; no isolation from crashes).
    public static func inProcess(registry: CompressorRegistry) -> @Sendable (MeasurementRequest) throws -> CompressorResult {
        { request in try run(request, registry: registry) }
    }
}
