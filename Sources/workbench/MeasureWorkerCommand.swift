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
    @Option var split: CorpusSplit = .valid
    @Option var passes: Int = 3
    @Flag var statistics = false
    @Option var stabilityDocuments: Int = 16
    @Option var stabilityMaxBytes: Int = 8192
    @Option var seed: UInt64 = 0
    @Option var runDirectory: String
    @Option(name: .customLong("result")) var resultPath: String

    func run() throws {
        let corpus = try corpusArguments.load()
        let documents = corpus.documents(in: split)
        let stability = statistics
            ? StabilityInputs(documents: documents, count: stabilityDocuments, maxBytes: stabilityMaxBytes, seed: seed) : nil
        let row = CompressorMeasurement(passes: passes).measure(
            try CompressorSpec(parsing: spec), documents: documents,
            context: TrainingContext.make(corpus, runDirectory: RunDirectory(path: runDirectory)), stability: stability,
            progress: ProgressReporter())
        try AtomicFile.writeJSON(row, to: resultPath)
    }
}
