import Builtins
import Foundation
import NeuralEngine
import Pipelines
import ProxyTrainer
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// The training-stream export holds exactly what the proxy trainer feeds the engine: the batches
/// of a `ProxyTrainingRun` of the same config, step by step, every rank's rows of them when
/// sharded, and the run's initial weights.
@Suite struct TrainingStreamExportTests {
    static let training = (0..<24).map { index in
        Array("def f\(index)(x):\n    return x * \(index)\n".utf8) + Array(repeating: UInt8(ascii: "#"), count: index * 7)
    }
    static let validation = [Array("def g(y):\n    return y - 1\n".utf8), [], Array("print(2)\n".utf8)]

    static func config(steps: Int = 7, batch: Int = 4) -> ProxyRunConfig {
        ProxyRunConfig(
            compressor: CompressorSpec(id: "gzip"), schedule: .paper(peakRate: 0.9, totalSteps: steps), width: 16, layers: 1,
            heads: 2, context: 32, batch: batch, extraHead: true, sharedByteEmbedding: false, learningRate: 3e-3,
            weightDecay: 0.1, steps: steps, budgetFLOPs: nil, seed: 5, shuffleBatches: 3, evaluateEvery: 0,
            evaluationSampleBytes: 10, checkpointEvery: 7, corpus: "inline", corpusSHA256: "none")
    }

    static func export(_ config: ProxyRunConfig, initialWeights: Bool = false) throws -> TrainingStreamExport {
        TrainingStreamExport(
            config: config, compressor: try Builtins.registry.makeCompressor(CompressorSpec(id: "gzip")), training: training,
            validation: validation, corpus: .init(name: "inline", sha256: "none", split: "train", splitRule: "inline"),
            savesInitialWeights: initialWeights)
    }

    /// One array of an export, as little-endian values of its dtype.
    static func read(_ header: TrainingStreamHeader, _ name: String, in directory: String) throws -> [Double] {
        let file = try #require(header.arrays.first { $0.name == name })
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file.file)))
        let width = ["uint8": 1, "uint16": 2][file.dtype] ?? 4
        #expect(bytes.count == file.shape.reduce(width, *))
        return stride(from: 0, to: bytes.count, by: width).map { offset in
            let bits = (0..<width).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
            switch file.dtype {
            case "float32": return Double(Float(bitPattern: bits))
            case "int32": return Double(Int32(bitPattern: bits))
            default: return Double(bits)
            }
        }
    }

    @Test func theExportIsTheTrainersOwnBatches() throws {
        let directory = try TestEnvironment.temporaryDirectory(prefix: "training-stream")
        let config = Self.config()
        let header = try #require(try Self.export(config, initialWeights: true).run(out: directory + "/s", assignment: nil))
        #expect(try TrainingStreamHeader.load(from: directory + "/s.json") == header)
        // The batches the run would train on: its own stream, from step 0.
        let run = try ProxyTrainingRun(
            directory: try TestEnvironment.temporaryDirectory(prefix: "training-stream-run"), config: config,
            training: Self.training, validation: Self.validation,
            compressor: try Builtins.registry.makeCompressor(CompressorSpec(id: "gzip")), resume: false)
        var batches = run.batches
        var expected: [String: [Double]] = [:]
        for step in 0..<config.steps {
            let batch = try batches.nextBatch(step: step, batchSize: config.batch)
            let training = batch.training
            expected["tokens", default: []] += training.tokens.map(Double.init)
            expected["targets", default: []] += training.targets.map(Double.init)
            expected["documentIDs", default: []] += (training.documentIDs ?? []).map(Double.init)
            expected["weights", default: []] += training.weights.map(Double.init)
            expected["extraTargets", default: []] += (training.extraTargets ?? []).map(Double.init)
            expected["extraWeights", default: []] += (training.extraWeights ?? []).map(Double.init)
            expected["targetViews", default: []] += batch.targetViews.map { Double($0.rawValue) }
        }
        #expect(Set(header.arrays.map(\.name)) == Set(expected.keys))
        for (name, values) in expected {
            #expect(try Self.read(header, name, in: directory) == values, "\(name)")
        }
        #expect(header.runConfig == config && header.model == run.session.model.config)
        #expect(header.optimizer.schedule == run.session.schedule && header.optimizer.adamw == run.session.optimizer.config)
        let counts = batches.streamState.drawCounts
        #expect([header.draws.raw, header.draws.compressed, header.draws.both] == counts)
        // The evaluation documents and the initial weights.
        let evaluation = try #require(header.evaluation)
        #expect(evaluation.documents == 3 && evaluation.bytes == Self.validation.joined().count)
        #expect(evaluation.sampleDocuments == run.evaluationSample.count)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/s.valid.bin")))
        #expect(bytes == Array(Self.validation.joined()))
        let weights = try Parameters.load(from: directory + "/" + (try #require(header.initialWeights)))
        #expect(weights == run.session.model.parameters)
    }

    @Test func shardsHoldTheirRanksContiguousRowsOfEveryStep() throws {
        let directory = try TestEnvironment.temporaryDirectory(prefix: "training-stream-shards")
        let config = Self.config(steps: 5)
        let whole = try #require(try Self.export(config).run(out: directory + "/whole", assignment: nil))
        var shards: [TrainingStreamHeader] = []
        for rank in 0..<2 {
            let assignment = try ShardAssignment(rank: rank, worldSize: 2)
            shards.append(try #require(try Self.export(config).run(out: directory + "/shards", assignment: assignment)))
            // A relaunch of a complete shard is skipped.
            #expect(try Self.export(config).run(out: directory + "/shards", assignment: assignment) == nil)
        }
        #expect(shards.map(\.rows.firstRow) == [0, 2] && shards.allSatisfy { $0.rows.rowsPerStep == 2 })
        #expect(shards[0].evaluation != nil && shards[1].evaluation == nil)
        let t = config.context
        for name in whole.arrays.map(\.name) {
            let all = try Self.read(whole, name, in: directory)
            let parts = try shards.map { try Self.read($0, name, in: directory + "/shards") }
            for step in 0..<config.steps {
                let rows = Array(all[(step * 4 * t)..<((step + 1) * 4 * t)])
                let joined = parts.flatMap { Array($0[(step * 2 * t)..<((step + 1) * 2 * t)]) }
                #expect(rows == joined, "\(name) step \(step)")
            }
        }
        let refused = #expect(throws: WorkbenchError.self) {
            try Self.export(config).run(out: directory + "/three", assignment: try ShardAssignment(rank: 0, worldSize: 3))
        }
        #expect(refused?.message.contains("does not divide the batch of 4") == true)
    }
}
