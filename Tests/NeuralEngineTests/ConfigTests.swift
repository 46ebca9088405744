import Testing

@testable import NeuralEngine

extension NeuralEngineTests {
    @Suite struct ConfigTests {
        @Test func refusesImpossibleConfigsBeforeWork() {
            let bad: [(ModelConfig, String)] = [
                (ModelConfig(vocabularySize: 320, width: 100, layers: 2, heads: 3, contextLength: 8), "divide"),
                (ModelConfig(vocabularySize: 320, width: 64, layers: 0, heads: 4, contextLength: 8), "layers"),
                (ModelConfig(vocabularySize: 1, width: 64, layers: 1, heads: 4, contextLength: 8), "vocabularySize"),
                (ModelConfig(vocabularySize: 320, width: 12, layers: 1, heads: 4, contextLength: 8), "even"),
                (ModelConfig(vocabularySize: 320, width: 64, layers: 1, heads: 4, contextLength: 0), "contextLength"),
                // about 2^40 parameters: refused by arithmetic before anything is allocated
                (ModelConfig(vocabularySize: 16_000_000, width: 65_536, layers: 1, heads: 1, contextLength: 8), "parameters"),
            ]
            for (config, word) in bad {
                #expect {
                    _ = try TransformerModel(config: config, seed: 1)
                } throws: { error in
                    guard case EngineError.invalidConfig(let m) = error else { return false }
                    return m.contains(word)
                }
            }
        }

        @Test func parameterCountsAndFLOPs() throws {
            let c = ModelConfig(vocabularySize: 320, width: 256, layers: 4, heads: 4, contextLength: 512)
            try c.validate()
            // per block 12·C² + 2·C, plus embedding, head and final norm
            #expect(c.parameterCount == 4 * (12 * 256 * 256 + 2 * 256) + 2 * 320 * 256 + 256)
            let n = Double(4 * 12 * 256 * 256 + 320 * 256)
            #expect(c.trainingFLOPsPerToken() == 6 * n + 12 * 4 * 256 * 512)
            #expect(c.forwardFLOPsPerToken(sequenceLength: 100) == 2 * n + 4 * 4 * 256 * 100)
            let p = try Parameters(config: c, seed: 3)
            #expect(p.values.count == c.parameterCount)
            #expect(
                ModelConfig(vocabularySize: 66_000, width: 64, layers: 1, heads: 2, contextLength: 8).parameterCount > 66_000
                    * 128)
        }

        @Test func seededInitIsReproducible() throws {
            let c = tinyConfig()
            #expect(try Parameters(config: c, seed: 7) == Parameters(config: c, seed: 7))
            #expect(try Parameters(config: c, seed: 7) != Parameters(config: c, seed: 8))
        }

        @Test func scheduleWarmsUpThenDecays() {
            let s = LearningRateSchedule(maxLearningRate: 1e-3, minLearningRate: 1e-4, warmupSteps: 10, totalSteps: 110)
            #expect(abs(s.learningRate(atStep: 0) - 1e-4) < 1e-9)
            #expect(abs(s.learningRate(atStep: 9) - 1e-3) < 1e-9)
            #expect(abs(s.learningRate(atStep: 60) - 5.5e-4) < 1e-7)
            #expect(abs(s.learningRate(atStep: 110) - 1e-4) < 1e-9)
            #expect(abs(s.learningRate(atStep: 500) - 1e-4) < 1e-9)
        }

        @Test func rejectsMalformedBatches() throws {
            let model = try TransformerModel(config: tinyConfig(), seed: 1)
            var b = randomBatch(model.config, batch: 1, length: 4, seed: 1)
            b.tokens[2] = 29
            #expect(throws: EngineError.invalidBatch("tokens[2] = 29 outside 0..<29")) { try model.forward(b) }
            var b2 = randomBatch(model.config, batch: 1, length: 4, seed: 1)
            b2.weights[1] = .nan
            #expect(throws: EngineError.self) { try model.forward(b2) }
            #expect(throws: EngineError.self) { try model.backward() }
        }
    }
}
