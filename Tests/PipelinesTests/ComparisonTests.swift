import Builtins
import Foundation
import Pipelines
import ProxyTrainer
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// `compare` as a library: the whole job run in this process (measurements in-process instead of
/// in children), on a small corpus.
@Suite(.serialized) struct ComparisonTests {
    /// 60 small Python-like documents: enough for every split to hold some.
    static func corpus() throws -> String {
        let path = try TestEnvironment.temporaryDirectory(prefix: "comparison") + "/small.jsonl"
        var lines = ""
        for index in 0..<60 {
            let text =
                "def f\(index)(x):\n    return x * \(index) + \(index % 7)\n\n# \(String(repeating: "ab", count: index % 9))\n"
            lines += "{\"text\": \(JSONString.literal(text))}\n"
        }
        try lines.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func plan(
        corpus: String, directory: String, stages: [CompareStage], specs: [String], start: Comparison.Plan.Start = .fresh
    ) throws -> Comparison.Plan {
        var training = TrainerSettings()
        training.width = 16
        training.layers = 1
        training.heads = 2
        training.context = 32
        training.batch = 2
        training.budgets = [1.2e7, 2.4e7]
        training.seeds = [0, 1]
        return Comparison.Plan(
            specs: try specs.map { try CompressorSpec(parsing: $0) }, corpus: try CorpusStream(path: corpus), split: .all,
            runDirectory: RunDirectory(path: directory), stages: stages, passes: 1,
            statistics: .init(stabilityDocuments: 4, stabilityMaxBytes: 256, seed: 0), training: training, start: start,
            arguments: [])
    }

    @Test func rateAndStatisticsRunInProcessAndWriteTheRunDirectory() throws {
        let corpus = try Self.corpus()
        let directory = try TestEnvironment.temporaryDirectory(prefix: "comparison-run")
        let plan = try Self.plan(
            corpus: corpus, directory: directory, stages: [.rate, .stats], specs: ["bytes", "zstd:level=3"])
        let outcome = try Comparison(
            plan: plan, registry: Builtins.registry, measure: MeasuringChild.inProcess(registry: Builtins.registry)
        ).run()
        #expect(outcome.failedRows.isEmpty)
        #expect(outcome.results.compressors.map(\.spec.description) == ["bytes", "zstd:level=3"])
        #expect(outcome.results.corpus.documents == 60)
        let bytes = try #require(outcome.results.compressors.first)
        #expect(bytes.rate?.bytesPerSymbol == 1)
        #expect(bytes.stability?.count == Perturbation.allCases.count)
        for file in ["config.json", "environment.json", "results.json", "report.md", "report.html", "results.csv"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file) is missing")
        }
        let saved = try JSONDecoder().decode(
            ComparisonResults.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/results.json")))
        #expect(saved.compressors == outcome.results.compressors)
        // A second run into the same directory is refused; resuming reuses the stage files.
        #expect(throws: WorkbenchError.self) {
            try Comparison(
                plan: plan, registry: Builtins.registry, measure: MeasuringChild.inProcess(registry: Builtins.registry)
            ).run()
        }
        let resumed = try Self.plan(
            corpus: corpus, directory: directory, stages: [.rate, .stats], specs: ["bytes", "zstd:level=3"], start: .resume)
        let again = try Comparison(
            plan: resumed, registry: Builtins.registry,
            measure: { request in
                Issue.record("resume measured \(request.spec) again")
                return CompressorResult(id: request.spec.id, spec: request.spec, descriptor: nil, status: .failed)
            }
        ).run()
        #expect(again.results.compressors == outcome.results.compressors)
    }

    @Test func trainStageTrainsTheBaselineAndEachProxyAtTheSameSettings() throws {
        let corpus = try Self.corpus()
        let directory = try TestEnvironment.temporaryDirectory(prefix: "comparison-train")
        let plan = try Self.plan(corpus: corpus, directory: directory, stages: [.rate, .train], specs: ["nibbles"])
        let outcome = try Comparison(
            plan: plan, registry: Builtins.registry, measure: MeasuringChild.inProcess(registry: Builtins.registry)
        ).run()
        let baseline = try #require(outcome.results.baseline)
        let proxy = try #require(outcome.results.compressors.first?.proxy)
        #expect(baseline.rate == 0 && proxy.rate == 0.9)
        // Every model trains once per seed at each budget; the main budget is the largest.
        for record in [baseline, proxy] {
            let runs = try #require(record.runs)
            #expect(runs.count == 4)
            #expect(Set(runs.map(\.seed)) == [0, 1] && Set(runs.map(\.budgetFLOPs)) == [1.2e7, 2.4e7])
            #expect(record.seeds == [0, 1] && record.sweep?.count == 2)
            let main = runs.filter { $0.budgetFLOPs == 2.4e7 }.map(\.rawBitsPerByte)
            #expect(abs(record.rawBitsPerByte - main.reduce(0, +) / 2) < 1e-12)
            #expect(record.rawBitsPerByteCI95 != nil && record.fit != nil)
            #expect(record.undertrained == true && record.undertrainedReason?.contains("--min-steps 100") == true)
            for run in runs {
                #expect(FileManager.default.fileExists(atPath: directory + "/" + run.runDirectory + "/model.safetensors"))
            }
        }
        #expect(proxy.vsBaseline?.seeds == 2 && baseline.vsBaseline == nil)
        #expect(proxy.compressedView == "ids" && baseline.compressedView == nil)
        #expect(FileManager.default.fileExists(atPath: directory + "/train/00-nibbles/seed-1-flops-2.4e7/result.json"))
    }

    @Test func unknownCompressorsAreRefusedBeforeAnythingIsRead() throws {
        let directory = try TestEnvironment.temporaryDirectory(prefix: "comparison-unknown")
        let plan = try Self.plan(corpus: try Self.corpus(), directory: directory, stages: [.rate], specs: ["nosuch"])
        let error = #expect(throws: WorkbenchError.self) {
            try Comparison(
                plan: plan, registry: Builtins.registry, measure: MeasuringChild.inProcess(registry: Builtins.registry)
            ).run()
        }
        #expect(error?.message.contains("unknown compressor 'nosuch'") == true)
        #expect(!FileManager.default.fileExists(atPath: directory + "/config.json"))
    }
}
