import Foundation
import Testing

@testable import NeuralEngine

extension NeuralEngineTests {
    @Suite struct TrainingTests {
        /// Training text: the first documents of the shipped corpus (corpora/cpython-stdlib.jsonl)
        /// when present, else seeded synthetic Python-like lines. Returned with where it came from.
        static func trainingText(bytes: Int) -> ([UInt8], String) {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let corpus = root.appendingPathComponent("corpora/cpython-stdlib.jsonl")
            if let handle = try? FileHandle(forReadingFrom: corpus), let head = try? handle.read(upToCount: bytes * 3) {
                var text = [UInt8]()
                for line in head.split(separator: UInt8(ascii: "\n")) {
                    guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                        let s = obj["text"] as? String
                    else { continue }
                    text += Array(s.utf8)
                    if text.count >= bytes { break }
                }
                if text.count >= bytes / 2 { return (Array(text.prefix(bytes)), corpus.path) }
            }
            var rng = SeededGenerator(seed: 2024)
            let words = ["def", "return", "self", "value", "for", "in", "range", "if", "else", "import", "None", "x", "items"]
            var text = [UInt8]()
            while text.count < bytes {
                let k = 2 + Int(rng.next() % 5)
                let line = (0..<k).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
                text += Array(("    " + line + "\n").utf8)
            }
            return (Array(text.prefix(bytes)), "synthetic (seed 2024)")
        }

        /// A tiny byte model (ids 64 + byte, vocabulary 320 as in the proxy trainer; width 32, one
        /// layer, context 48, batch 4) trained 250 steps on 64 KB of Python source reaches a
        /// held-out loss below 2.75 nats/byte (3.97 bits/byte; uniform is ln 320 = 5.77 nats, the
        /// byte unigram of this text about 3.3). Sized to stay fast in debug builds.
        @Test func trainingOnTheCorpusDrivesLossBelowBound() throws {
            let (text, source) = Self.trainingText(bytes: 70_000)
            let tokens = text.map { Int32($0) + 64 }
            let train = Array(tokens.prefix(64_000)), held = Array(tokens.suffix(from: 64_000))
            let config = ModelConfig(vocabularySize: 320, width: 32, layers: 1, heads: 2, contextLength: 48)
            let steps = 250
            let session = try TrainingSession(
                model: TransformerModel(config: config, seed: 1),
                optimizer: AdamWConfig(weightDecay: 0.01),
                schedule: LearningRateSchedule(maxLearningRate: 1e-2, minLearningRate: 1e-3, warmupSteps: 20, totalSteps: steps),
                maxGradientNorm: 1)
            var rng = SeededGenerator(seed: 5)
            let t = 48, b = 4
            var first: Float = 0
            for s in 0..<steps {
                let windows = (0..<b).map { _ -> [Int32] in
                    let o = Int(rng.next() % UInt64(train.count - t - 1))
                    return Array(train[o...(o + t)])
                }
                let r = try session.step(TrainingBatch(windows: windows))
                if s == 0 { first = r.loss }
            }
            var windows = [[Int32]]()
            var o = 0
            while o + t + 1 <= held.count { windows.append(Array(held[o...(o + t)])); o += t }
            let heldLoss = try session.model.forward(TrainingBatch(windows: windows), forTraining: false)
            print("training text: \(source); first loss \(first), held-out loss \(heldLoss) nats/byte")
            #expect(first > 5.0)
            #expect(heldLoss < 2.75, "held-out loss \(heldLoss) nats/byte on \(source)")
        }

        /// A non-finite loss stops the step with a typed error and leaves the parameters and the
        /// optimizer untouched, so the caller can keep its last good checkpoint.
        @Test func nonFiniteLossStopsTraining() throws {
            let config = tinyConfig()
            let session = try TrainingSession(
                model: TransformerModel(config: config, seed: 2),
                schedule: LearningRateSchedule(maxLearningRate: 1e-3, warmupSteps: 1, totalSteps: 10))
            let batch = randomBatch(config, batch: 2, length: 6, seed: 3)
            try session.step(batch)
            let head = session.model.parameters.layout.head
            session.model.parameters.values[head] = .infinity
            let before = session.model.parameters, optBefore = session.optimizer
            do {
                try session.step(batch)
                Issue.record("expected nonFiniteLoss")
            } catch let EngineError.nonFiniteLoss(step, loss, _) {
                #expect(step == 1)
                #expect(!loss.isFinite)
            }
            #expect(session.model.parameters.values.map(\.bitPattern) == before.values.map(\.bitPattern))
            #expect(session.optimizer == optBefore)
            #expect(
                EngineError.nonFiniteLoss(step: 1, loss: .nan, gradientNorm: .nan).description.contains("last good checkpoint"))
        }
    }
}
