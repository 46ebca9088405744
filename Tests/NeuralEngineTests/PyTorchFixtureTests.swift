import Foundation
import Testing

@testable import NeuralEngine

/// Matches a tiny model against PyTorch (Fixtures/tiny_model.safetensors, made by
/// Fixtures/make_fixtures.py with a float64 reference). Tolerance: for every tensor,
/// max |ours − PyTorch| ≤ 1e-5 · max(1, max |PyTorch|) (float32 arithmetic against float64;
/// measured differences are about 3e-7 for logits and 3e-8 for gradients). AdamW: ≤ 1e-6.
extension NeuralEngineTests {
    @Suite struct PyTorchFixtureTests {
        struct Fixture {
            let file: Safetensors.File
            let config: ModelConfig
            let parameters: Parameters
            let batch: TrainingBatch

            init() throws {
                let file = try Safetensors.read(path: try fixturePath("tiny_model.safetensors"))
                self.file = file
                let json = try #require(file.metadata["config"])
                config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
                var p = try Parameters(zerosFor: config)
                try p.fill(from: file, prefix: "param.")
                parameters = p
                func ints(_ n: String) throws -> [Int32] { try file.tensor(n).values.map { Int32($0) } }
                let tok = try file.tensor("input.tokens")
                batch = TrainingBatch(
                    batchSize: tok.shape[0], sequenceLength: tok.shape[1], tokens: try ints("input.tokens"),
                    targets: try ints("input.targets"), weights: try file.tensor("input.weights").values,
                    extraTargets: try ints("input.targets2"), extraWeights: try file.tensor("input.weights2").values,
                    documentIDs: try ints("input.docs"))
            }

            func expectClose(_ ours: [Float], _ name: String, _ sourceLocation: SourceLocation = #_sourceLocation) throws {
                let ref = try file.tensor(name).values
                let tol = 1e-5 * max(1, maxAbs(ref))
                let diff = maxAbsDiff(ours, ref)
                #expect(diff <= tol, "\(name): max abs diff \(diff) > \(tol)", sourceLocation: sourceLocation)
            }
        }

        @Test func forwardMatchesPyTorch() throws {
            let fx = try Fixture()
            let model = try TransformerModel(parameters: fx.parameters)
            let loss = try model.forward(fx.batch, forTraining: false)
            try fx.expectClose(try #require(model.lastLogits()), "out.logits")
            try fx.expectClose(try #require(model.lastLogits(extra: true)), "out.logits2")
            try fx.expectClose(try #require(model.lastLosses()), "out.losses")
            try fx.expectClose([loss], "out.loss")
        }

        @Test func everyGradientMatchesPyTorch() throws {
            let fx = try Fixture()
            let model = try TransformerModel(parameters: fx.parameters)
            model.zeroGradients()
            let loss = try model.forward(fx.batch, forTraining: true)
            try fx.expectClose([loss], "out.loss")
            try model.backward()
            for spec in model.gradients.layout.tensors {
                try fx.expectClose(try #require(model.gradients.tensor(named: spec.name)), "grad." + spec.name)
            }
            try fx.expectClose([globalNorm(model.gradients)], "out.grad_norm")
        }

        @Test func adamWStepsMatchPyTorch() throws {
            let fx = try Fixture()
            var grads = try Parameters(zerosFor: fx.config)
            try grads.fill(from: fx.file, prefix: "grad.")
            var params = fx.parameters
            var opt = try AdamW(modelConfig: fx.config, config: AdamWConfig(weightDecay: 0.1))
            for k in 1...2 {
                opt.update(&params, gradients: grads, learningRate: 1e-2)
                for spec in params.layout.tensors {
                    let ref = try fx.file.tensor("adamw\(k)." + spec.name).values
                    let ours = try #require(params.tensor(named: spec.name))
                    #expect(maxAbsDiff(ours, ref) <= 1e-6, "adamw step \(k) \(spec.name)")
                }
            }
        }

        @Test func deterministicLogitsMatchPyTorchToo() throws {
            let fx = try Fixture()
            let t = fx.batch.sequenceLength
            var all = [Float]()
            for b in 0..<fx.batch.batchSize {
                let range = (b * t)..<((b + 1) * t)
                all += try InferenceSession.sequenceLogits(
                    parameters: fx.parameters, tokens: Array(fx.batch.tokens[range]),
                    documentIDs: fx.batch.documentIDs.map { Array($0[range]) })
            }
            try fx.expectClose(all, "out.logits")
        }
    }
}
