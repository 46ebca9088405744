import Testing

@testable import NeuralEngine

/// Deterministic mode: next-token logits must be bit-identical however they are computed.
extension NeuralEngineTests {
    @Suite struct DeterminismTests {
        static func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

        /// Width 64 (a multiple of 32: exercises the 4-row matvec path) and 48 (tail path).
        @Test(arguments: [64, 48])
        func incrementalEqualsWholeSequenceEqualsAnyThreadCount(width: Int) throws {
            let config = ModelConfig(vocabularySize: 320, width: width, layers: 2, heads: 4, contextLength: 40)
            let params = try Parameters(config: config, seed: 21)
            var rng = SeededGenerator(seed: 22)
            let tokens = (0..<37).map { _ in Int32(rng.next() % 320) }
            let previous = EngineThreads.count
            defer { EngineThreads.set(previous) }

            EngineThreads.set(2)
            let whole = try InferenceSession.sequenceLogits(parameters: params, tokens: tokens)
            let session = try InferenceSession(parameters: params)
            var incremental = [Float]()
            for t in tokens { incremental += try session.step([t]) }
            #expect(Self.bits(whole) == Self.bits(incremental))

            EngineThreads.set(1)
            let whole1 = try InferenceSession.sequenceLogits(parameters: params, tokens: tokens)
            #expect(Self.bits(whole1) == Self.bits(whole))

            // the same sequence inside a batch of three independent sequences, 2 threads
            EngineThreads.set(2)
            let batch = try InferenceSession(parameters: params, batchSize: 3)
            var fromBatch = [Float]()
            for (i, t) in tokens.enumerated() {
                let other1 = Int32((i * 7) % 320), other2 = Int32((i * 13 + 5) % 320)
                let logits = try batch.step([other1, t, other2])
                fromBatch += logits[320..<640]
            }
            #expect(Self.bits(fromBatch) == Self.bits(whole))

            // and the float-for-float agreement with the OpenBLAS training forward is close
            let model = try TransformerModel(parameters: params)
            try model.forward(
                TrainingBatch(batchSize: 1, sequenceLength: tokens.count, tokens: tokens, targets: tokens),
                forTraining: false)
            let blas = try #require(model.lastLogits())
            #expect(maxAbsDiff(blas, whole) < 1e-4)
        }

        /// A document packed after another is computed exactly as the same document alone (and
        /// as the incremental session after a reset).
        @Test func packedDocumentEqualsDocumentAlone() throws {
            let config = ModelConfig(vocabularySize: 50, width: 32, layers: 2, heads: 2, contextLength: 32)
            let params = try Parameters(config: config, seed: 31)
            let docA: [Int32] = [1, 5, 9, 12, 3]
            let docB: [Int32] = [7, 7, 2, 40, 41, 42, 0, 9]
            let packed = try InferenceSession.sequenceLogits(
                parameters: params, tokens: docA + docB,
                documentIDs: [Int32](repeating: 0, count: docA.count) + [Int32](repeating: 1, count: docB.count))
            let alone = try InferenceSession.sequenceLogits(parameters: params, tokens: docB)
            #expect(Self.bits(Array(packed[(docA.count * 50)...])) == Self.bits(alone))

            let session = try InferenceSession(parameters: params)
            for t in docA { _ = try session.step([t]) }
            session.reset(sequence: 0)
            var inc = [Float]()
            for t in docB { inc += try session.step([t]) }
            #expect(Self.bits(inc) == Self.bits(alone))
            #expect(throws: EngineError.self) { _ = try session.step([50]) }
        }

        @Test func probabilitiesSumToOneAndSessionRefusesOverflow() throws {
            let config = ModelConfig(vocabularySize: 300, width: 32, layers: 1, heads: 2, contextLength: 4)
            let session = try InferenceSession(parameters: try Parameters(config: config, seed: 1), capacity: 3)
            for t: Int32 in [1, 2, 3] {
                let p = try session.stepProbabilities([t])
                let s = p.reduce(0.0) { $0 + Double($1) }
                #expect(abs(s - 1) < 1e-5)
            }
            #expect(throws: EngineError.self) { _ = try session.step([4]) }
        }
    }
}
