import Foundation
import NeuralEngine
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@testable import ProxyTrainer

/// A 2-bit regrouping as the compressed view: tiny alphabet, spans, no dependency on plugins.
struct Dibits: Compressor {
    var descriptor = CompressorDescriptor(id: "dibits", displayName: "Dibits", alphabetSize: 4)
    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        EncodedDocument(symbols: document.flatMap { byte in (0..<4).reversed().map { UInt32(byte >> UInt8($0 * 2)) & 3 } })
    }
    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] { [] }
}

@Suite(.serialized) struct TrainingRunTests {
    static let text = Array(
        "def add(a, b):\n    return a + b\n\nclass Point:\n    def __init__(self, x):\n        self.x = x\n".utf8)
    static let training = (0..<12).map { index in text + Array("# note \(index)\n".utf8) }
    static let validation = [Array("def sub(a, b):\n    return a - b\n".utf8)]

    static func config(steps: Int = 8, rate: Double = 0.5, learningRate: Float = 3e-3) -> ProxyRunConfig {
        ProxyRunConfig(
            compressor: CompressorSpec(id: "dibits"), schedule: .paper(peakRate: rate, totalSteps: steps), width: 16, layers: 1,
            heads: 2,
            context: 32, batch: 2, extraHead: true, sharedByteEmbedding: false, learningRate: learningRate, weightDecay: 0.1,
            steps: steps, budgetFLOPs: nil, seed: 3, evaluateEvery: 4, evaluationSampleBytes: 100, checkpointEvery: 2,
            corpus: "inline", corpusSHA256: "none")
    }

    static func run(_ directory: String, _ config: ProxyRunConfig, resume: Bool = false) throws -> ProxyTrainingRun {
        try ProxyTrainingRun(
            directory: directory, config: config, training: training, validation: validation, compressor: Dibits(), resume: resume
        )
    }

    func directory() throws -> String {
        try TestEnvironment.temporaryDirectory(prefix: "proxy-run")
    }

    /// An interrupted run resumed from its checkpoint ends with the same weights, bit for bit.
    @Test func resumedRunEqualsUninterruptedRun() throws {
        let straight = try directory()
        let expected = try Self.run(straight, Self.config()).run()

        let interrupted = try directory()
        // Train 4 of 8 steps (the loop checkpoints every 2), then drop the run: what a kill after a
        // checkpoint leaves behind.
        try Self.run(interrupted, Self.config()).train(until: 4)
        let resumed = try Self.run(interrupted, Self.config(), resume: true)
        #expect(resumed.session.stepsTaken == 4)
        let result = try resumed.run()
        let a = try Data(contentsOf: URL(fileURLWithPath: straight + "/model.safetensors"))
        let b = try Data(contentsOf: URL(fileURLWithPath: interrupted + "/model.safetensors"))
        #expect(a == b)
        #expect(result.evaluation == expected.evaluation)
    }

    /// A comparison evaluates periodically only in the run whose curve it draws: evaluating must
    /// leave training exactly as it was.
    @Test func periodicEvaluationsDoNotChangeTraining() throws {
        var evaluating = Self.config()
        evaluating.evaluateEvery = 1
        var silent = Self.config()
        silent.evaluateEvery = 0
        let (a, b) = (try directory(), try directory())
        let withPoints = try Self.run(a, evaluating).run()
        let without = try Self.run(b, silent).run()
        #expect(
            withPoints.curve.filter { $0.rawBitsPerByte != nil }.count > without.curve.filter { $0.rawBitsPerByte != nil }.count)
        #expect(withPoints.evaluation == without.evaluation)
        let weights = try Parameters.load(from: a + "/model.safetensors").values
        #expect(weights == (try Parameters.load(from: b + "/model.safetensors").values))
    }

    @Test func resultRecordsTheRunAndBothViewsWereDrawn() throws {
        let result = try Self.run(try directory(), Self.config(steps: 6)).run()
        #expect(result.vocabularySize == 324)
        #expect(result.evaluation.bytes == Self.validation[0].count)
        #expect(result.evaluation.rawBitsPerByte > 0 && result.evaluation.rawBitsPerByte < 12)
        #expect(result.curve.first?.step == 0 && result.curve.last?.step == 6)
        #expect(result.curve.last?.flops == 6 * result.flopsPerStep)
        #expect(result.compressorDescriptor?.trainBytesPerSymbol == 0.25)
        #expect(result.blasCore?.isEmpty == false)
    }

    @Test func compressedOnlyRunAlsoReportsTheCompressedView() throws {
        var config = Self.config(steps: 4, rate: 1)
        config.schedule = .constant(rate: 1, mode: .sentinel, totalSteps: 4)
        let result = try Self.run(try directory(), config).run()
        let view = try #require(result.compressedViewEvaluation)
        #expect(view.bytes == Self.validation[0].count && view.rawBitsPerByte > 0)
    }

    @Test func mismatchedOrCorruptCheckpointsAreClearErrorsAndNothingIsOverwritten() throws {
        let path = try directory()
        let run = try Self.run(path, Self.config())
        try run.saveCheckpoint()
        let saved = try Data(contentsOf: URL(fileURLWithPath: path + "/checkpoint.safetensors"))
        var other = Self.config()
        other.learningRate = 1e-2
        let mismatch = #expect(throws: ProxyTrainerError.self) { try Self.run(path, other, resume: true) }
        #expect(mismatch?.message.contains("another configuration") == true)
        try Data(saved.prefix(saved.count / 2)).write(to: URL(fileURLWithPath: path + "/checkpoint.safetensors"))
        let corrupt = #expect(throws: ProxyTrainerError.self) { try Self.run(path, Self.config(), resume: true) }
        #expect(corrupt?.message.contains("cannot resume") == true)
        let missing = #expect(throws: ProxyTrainerError.self) { try Self.run(try directory(), Self.config(), resume: true) }
        #expect(missing?.message.contains("nothing was overwritten") == true)
    }

    /// The initial weights are the config's (seeded), written before the first step and only then.
    @Test func initialWeightsAreTheConfigsAndOnlyBeforeTheFirstStep() throws {
        let path = try directory()
        let run = try Self.run(path, Self.config(steps: 2))
        try run.saveInitialWeights()
        let saved = try Parameters.load(from: path + "/" + ProxyTrainingRun.initialWeightsFile)
        #expect(saved == (try Self.config(steps: 2).initialParameters(vocabularySize: run.vocabulary.size)))
        #expect(saved == run.session.model.parameters)
        try run.train(until: 1)
        let late = #expect(throws: ProxyTrainerError.self) { try run.saveInitialWeights() }
        #expect(late?.message.contains("before the first") == true)
    }

    @Test func impossibleConfigsAreRefusedBeforeTraining() throws {
        var heads = Self.config()
        heads.heads = 3
        #expect(throws: ProxyTrainerError.self) { try Self.run(try directory(), heads) }
        var short = Self.config()
        short.context = 4
        #expect(throws: ProxyTrainerError.self) { try Self.run(try directory(), short) }
        var noSteps = Self.config()
        noSteps.steps = 0
        #expect(throws: ProxyTrainerError.self) { try Self.run(try directory(), noSteps) }
    }

    @Test func divergingLossStopsWithAMessageAndKeepsTheLastCheckpoint() throws {
        let path = try directory()
        let run = try Self.run(path, Self.config(steps: 40, learningRate: 1e9))
        let error = #expect(throws: ProxyTrainerError.self) { try run.run() }
        #expect(error?.message.contains("non-finite loss") == true)
        #expect(error?.message.contains("last good checkpoint") == true)
    }
}
