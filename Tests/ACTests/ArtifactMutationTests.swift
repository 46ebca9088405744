import Foundation
import NeuralEngine
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@testable import ACPlugin

/// The `ac` artifact (config.json with the weights' SHA-256, and model.safetensors with its own
/// checksum) against seeded damage to either file: refused with a clear error, or the same model
/// loaded. Never a crash or other weights.
@Suite struct ArtifactMutationTests {
    @Test(.timeLimit(.minutes(1))) func damagedArtifactsAreRefusedOrUnchanged() throws {
        let seed = Mutator.seed(fallback: 0x5EED_AC00_0001)
        print("ArtifactMutationTests seed \(seed) (replay with WORKBENCH_MUTATION_SEED=\(seed))")
        var generator = SplitMix64(seed: seed)
        let directory = try TestEnvironment.temporaryDirectory(prefix: "m1-mutations")
        let config = ModelConfig(vocabularySize: M1Model.vocabularySize, width: 8, layers: 1, heads: 2, contextLength: 8)
        let saved = try M1Model.save(try Parameters(config: config, seed: 2), training: ["steps": "0"], to: directory)
        var refused = 0
        for index in 0..<500 {
            let name = index % 2 == 0 ? M1Model.weightsFileName : M1Model.configFileName
            let path = directory + "/" + name
            let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let (bytes, what) = Mutator.mutate(good, using: &generator)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            defer { try? Data(good).write(to: URL(fileURLWithPath: path)) }
            do {
                let loaded = try M1Model.load(directory: directory)
                #expect(loaded.parameters == saved.parameters, "mutation \(index) of \(name) (\(what)) loaded other weights")
            } catch {
                #expect(
                    !error.message.isEmpty && error.kind == .pluginFailure, "mutation \(index) of \(name) (\(what)): \(error)")
                refused += 1
            }
        }
        print("ArtifactMutationTests: \(refused) of 500 refused")
    }
}
