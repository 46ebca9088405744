import Builtins
import Foundation
import Pipelines
import ProxyTrainer
import Reports
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// `workbench report --add-run`: runs trained elsewhere become models of the report, summarized
/// over seeds and compared with the bytes-only model of their own trainer.
@Suite(.serialized) struct TrainedElsewhereTests {
    static let training = TrainingStreamExportTests.training
    static let validation = TrainingStreamExportTests.validation

    /// A finished run in a fresh directory, its result marked as trained by `trainer`.
    static func run(compressor: String?, seed: UInt64, trainer: String?) throws -> (String, ProxyRunResult) {
        var config = TrainingStreamExportTests.config(steps: 3)
        config.seed = seed
        config.budgetFLOPs = 5e7  // models are compared at equal budgets
        if compressor == nil {
            config.compressor = nil
            config.schedule = .constant(rate: 0, mode: .sentinel, totalSteps: 3)
        }
        let directory = try TestEnvironment.temporaryDirectory(prefix: "elsewhere")
        var result = try ProxyTrainingRun(
            directory: directory, config: config, training: training, validation: validation,
            compressor: try compressor.map { try Builtins.registry.makeCompressor(CompressorSpec(id: $0)) }, resume: false
        ).run()
        result.trainer = trainer
        try AtomicFile.writeJSON(result, to: directory + "/result.json")
        return (directory, try TrainedElsewhere.load(directory))
    }

    static func results() -> ComparisonResults {
        ComparisonResults(
            createdAt: "2026-01-01T00:00:00Z",
            corpus: CorpusRecord(
                name: "c", path: "c.jsonl", sha256: "0", split: "valid", splitRule: "r", documents: 1, bytes: 1,
                skippedBadLines: 0),
            compressors: [])
    }

    @Test func runsBecomeModelsComparedWithTheirTrainersBaseline() throws {
        let trainer = "pytorch 2.13.0, 2 x cuda, ddp, bf16 autocast"
        let proxies = try [0, 1].map { try Self.run(compressor: "gzip", seed: $0, trainer: trainer) }
        let bytes = try [0, 1].map { try Self.run(compressor: nil, seed: $0, trainer: trainer) }
        var merged = TrainedElsewhere.add(proxies + bytes, to: Self.results())
        let models = try #require(merged.trainedElsewhere)
        #expect(models.map(\.isBaseline) == [false, true])
        #expect(models[1].label == "bytes only [\(trainer)]" && models[0].label.hasSuffix("r=0.9 sentinel [\(trainer)]"))
        let proxy = models[0].proxy
        let losses = proxies.map(\.1.evaluation.rawBitsPerByte)
        #expect(proxy.seeds == [0, 1] && proxy.runs?.map(\.runDirectory) == proxies.map(\.0))
        #expect(abs(proxy.rawBitsPerByte - (losses[0] + losses[1]) / 2) < 1e-12)
        let baseline = bytes.map(\.1.evaluation.rawBitsPerByte)
        let difference = try #require(proxy.vsBaseline)
        #expect(difference.seeds == 2)
        #expect(abs(difference.difference - ((losses[0] - baseline[0]) + (losses[1] - baseline[1])) / 2) < 1e-12)
        // Added again, a model replaces itself; a run of the workbench's own trainer is a model of its own.
        let local = try Self.run(compressor: "gzip", seed: 0, trainer: nil)
        merged = TrainedElsewhere.add([proxies[0], local], to: merged)
        let labels = try #require(merged.trainedElsewhere).map(\.label)
        #expect(labels.count == 3 && labels.last?.hasSuffix("[workbench]") == true)
        #expect(merged.trainedElsewhere?.first { $0.label == models[0].label }?.proxy.seeds == [0])
        #expect(merged.trainedElsewhere?.last?.proxy.vsBaseline == nil)
        // They are in the report, and in results.json (which the report is a function of).
        let markdown = MarkdownReport.render(merged)
        #expect(markdown.contains("bytes only [\(trainer)]") && markdown.contains("trained elsewhere"))
        let encoded = try JSONEncoder().encode(merged)
        #expect(try JSONDecoder().decode(ComparisonResults.self, from: encoded) == merged)
    }

    @Test func aDirectoryWithoutARunResultIsAClearError() throws {
        let empty = try TestEnvironment.temporaryDirectory(prefix: "elsewhere-empty")
        let missing = #expect(throws: WorkbenchError.self) { try TrainedElsewhere.load(empty) }
        #expect(missing?.message.contains("finished training run") == true)
        try "{\"schema\": \"workbench.results/1\"}".write(toFile: empty + "/result.json", atomically: true, encoding: .utf8)
        let foreign = #expect(throws: WorkbenchError.self) { try TrainedElsewhere.load(empty) }
        #expect(foreign?.message.contains("not the result of a training run") == true)
    }
}
