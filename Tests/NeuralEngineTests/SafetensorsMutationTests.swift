import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@testable import NeuralEngine

extension NeuralEngineTests {
    /// Weight and checkpoint files against seeded damage: every mutation is refused with an
    /// error naming the file, or (a change no check can see, such as the case of a checksum hex
    /// digit) loads exactly what was saved. Never a crash, a hang or other weights.
    @Suite struct SafetensorsMutationTests {
        static func isClear(_ error: any Error, naming path: String) -> Bool {
            guard let engine = error as? EngineError else { return false }
            return engine.description.contains(path)
        }

        @Test(.timeLimit(.minutes(1))) func weightsFilesAreRefusedOrUnchanged() throws {
            let seed = Mutator.seed(fallback: 0x5EED_5AFE_0001)
            print("SafetensorsMutationTests weights seed \(seed) (replay with WORKBENCH_MUTATION_SEED=\(seed))")
            var generator = SplitMix64(seed: seed)
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("model.safetensors").path
            let parameters = try Parameters(config: tinyConfig(vocab: 11, width: 8, layers: 1, context: 4), seed: 3)
            try parameters.save(to: path)
            let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            var refused = 0
            for index in 0..<600 {
                let (bytes, what) = Mutator.mutate(good, using: &generator)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    let loaded = try Parameters.load(from: path)
                    #expect(loaded == parameters, "mutation \(index) (\(what)) loaded other weights")
                } catch {
                    #expect(Self.isClear(error, naming: path), "mutation \(index) (\(what)): \(error)")
                    refused += 1
                }
            }
            print("SafetensorsMutationTests weights: \(refused) of 600 refused")
        }

        @Test(.timeLimit(.minutes(1))) func checkpointsAreRefusedOrUnchanged() throws {
            let seed = Mutator.seed(fallback: 0x5EED_5AFE_0002)
            print("SafetensorsMutationTests checkpoint seed \(seed) (replay with WORKBENCH_MUTATION_SEED=\(seed))")
            var generator = SplitMix64(seed: seed)
            let directory = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("checkpoint.safetensors").path
            let config = tinyConfig(vocab: 11, width: 8, layers: 1, context: 4)
            let session = try TrainingSession(
                model: TransformerModel(config: config, seed: 1),
                schedule: LearningRateSchedule(maxLearningRate: 1e-3, minLearningRate: 1e-4, warmupSteps: 1, totalSteps: 4),
                maxGradientNorm: 1)
            try session.step(randomBatch(config, batch: 1, length: 4, seed: 9))
            let checkpoint = session.checkpoint(rngState: [1, 2], userMetadata: ["run": "mutations"])
            try checkpoint.save(to: path)
            let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            var refused = 0
            for index in 0..<600 {
                let (bytes, what) = Mutator.mutate(good, using: &generator)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    let loaded = try Checkpoint.load(from: path)
                    #expect(loaded == checkpoint, "mutation \(index) (\(what)) loaded another checkpoint")
                } catch {
                    #expect(Self.isClear(error, naming: path), "mutation \(index) (\(what)): \(error)")
                    refused += 1
                }
            }
            print("SafetensorsMutationTests checkpoint: \(refused) of 600 refused")
        }
    }
}
