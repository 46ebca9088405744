import ArgumentParser
import Builtins
import Foundation
import WorkbenchCore

/// `workbench _measure`: the rate and statistics stages for one compressor, run by `compare` in a
/// child process so that a plugin that crashes or hangs fails its own row, not the comparison.
struct MeasureWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_measure", abstract: "Internal: one compressor's rate and statistics stages (run by compare).",
        shouldDisplay: false)

    @Option var spec: String
    @OptionGroup var corpusArguments: CorpusArguments
    /// The parent's fingerprint of the corpus (the key of trained artifacts), so the child does
    /// not read the corpus once more to compute it.
    @Option var corpusSHA256: String
    @Option var split: CorpusSplit = .valid
    @Option var passes: Int = 3
    @Flag var statistics = false
    @Option var stabilityDocuments: Int = 16
    @Option var stabilityMaxBytes: Int = 8192
    @Option var seed: UInt64 = 0
    @Option var runDirectory: String
    @Option(name: .customLong("result")) var resultPath: String

    func run() throws {
        // Streamed: the split is read from disk on every pass, never held. Fixed heap thresholds:
        // a batch's blocks are reused while still in cache (128 KiB made every span array a fresh
        // mmap, and bytes encoded at a fifth of its speed), and the heap does not creep with the
        // stream as glibc's sliding threshold lets it (docs/scale.md).
        MemoryPolicy.boundRetainedMemory(mmapThreshold: 1 << 20, trimThreshold: 4 << 20)
        let stream = try corpusArguments.openStream()
        let documents = try StreamedSplit(stream, split: split)
        let plan = statistics
            ? CompressorMeasurement.StatisticsPlan(
                stabilityDocuments: stabilityDocuments, stabilityMaxBytes: stabilityMaxBytes, seed: seed) : nil
        let row = CompressorMeasurement(passes: passes).measure(
            try CompressorSpec(parsing: spec), documents: documents,
            context: TrainingContext.make(stream, sha256: { [corpusSHA256] in corpusSHA256 }, runDirectory: RunDirectory(path: runDirectory)),
            statistics: plan, progress: ProgressReporter())
        try AtomicFile.writeJSON(row, to: resultPath)
    }
}
