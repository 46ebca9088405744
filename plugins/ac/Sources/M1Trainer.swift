import Foundation
import NeuralEngine
import WorkbenchCore

/// Trains M1 with NeuralEngine on a corpus's training documents.
///
/// Every training sequence starts with BOS at position 0 followed by up to `contextLength - 1`
/// bytes taken from a random offset of a random document (chosen in proportion to its length,
/// with a seeded SplitMix64). So the model learns exactly the contexts it sees when coding:
/// from empty (right after a reset, which is every equal-info window with `context=window`) up
/// to a full context (plain AC and `context=segment`), starting anywhere in a document.
public struct M1TrainingSettings: Sendable, Equatable {
    /// Model width (channels).
    public var width: Int
    /// Transformer blocks.
    public var layers: Int
    /// Context length in tokens (BOS included); also the coder's context capacity.
    public var contextLength: Int
    /// Optimizer steps.
    public var steps: Int
    /// Sequences per step.
    public var batchSize: Int
    /// Peak learning rate.
    public var learningRate: Float
    /// Initialization and sampling seed.
    public var seed: UInt64

    /// The default M1 for a full corpus: width 128, 2 layers, 4 heads, context 128, 2,500
    /// steps of 24 x 128 tokens (about 7.7M tokens; measured in the README).
    public static let standard = M1TrainingSettings(
        width: 128, layers: 2, contextLength: 128, steps: 2500, batchSize: 24, learningRate: 2e-3, seed: 1)
    /// A tiny model for small training sets (under 1 MB, e.g. the conformance suite's 40
    /// documents) and tests: a model bigger than its data only overfits, and it trains in seconds.
    public static let tiny = M1TrainingSettings(
        width: 16, layers: 1, contextLength: 32, steps: 30, batchSize: 8, learningRate: 1e-2, seed: 1)

    /// Creates settings.
    public init(width: Int, layers: Int, contextLength: Int, steps: Int, batchSize: Int, learningRate: Float, seed: UInt64) {
        self.width = width
        self.layers = layers
        self.contextLength = contextLength
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
    }

    /// The architecture: heads of 32 channels (one head below width 64).
    var modelConfig: ModelConfig {
        let heads = width >= 64 && width % 32 == 0 ? width / 32 : 1
        return ModelConfig(
            vocabularySize: M1Model.vocabularySize, width: width, layers: layers, heads: heads, contextLength: contextLength)
    }

    /// As recorded in `config.json`.
    var record: [String: String] {
        [
            "width": String(width), "layers": String(layers), "context": String(contextLength), "steps": String(steps),
            "batch": String(batchSize), "learning_rate": String(learningRate), "seed": String(seed),
        ]
    }
}

/// The training loop.
public enum M1Trainer {
    /// Trains M1 and saves it into `directory`.
    /// - Throws: `WorkbenchError` for an empty corpus or a write failure; `EngineError` from the engine.
    public static func train(
        documents: [[UInt8]], settings: M1TrainingSettings, directory: String, log: @Sendable (String) -> Void = { _ in }
    ) throws -> M1Model {
        let usable = documents.filter { !$0.isEmpty }
        guard !usable.isEmpty else { throw WorkbenchError("ac: no non-empty training documents to train M1 on") }
        let config = settings.modelConfig
        try config.validate()
        let model = try TransformerModel(config: config, seed: settings.seed)
        let schedule = LearningRateSchedule(
            maxLearningRate: settings.learningRate, minLearningRate: settings.learningRate / 10,
            warmupSteps: max(1, settings.steps / 20), totalSteps: max(1, settings.steps))
        let session = try TrainingSession(model: model, schedule: schedule, maxGradientNorm: 1.0)
        // Documents are drawn in proportion to their length: cumulative byte counts.
        var cumulative: [Int] = []
        var total = 0
        for document in usable {
            total += document.count
            cumulative.append(total)
        }
        var generator = SplitMix64(seed: settings.seed ^ 0xAC_0001)
        let t = settings.contextLength
        let started = Date()
        var lastLine = 0.0
        for step in 0..<settings.steps {
            var tokens = [Int32](), targets = [Int32](), weights = [Float]()
            tokens.reserveCapacity(settings.batchSize * t)
            for _ in 0..<settings.batchSize {
                let pick = Int.random(in: 0..<total, using: &generator)
                var lo = 0, hi = cumulative.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] > pick { hi = mid } else { lo = mid + 1 }
                }
                let document = usable[lo]
                let offset = Int.random(in: 0..<document.count, using: &generator)
                let bytes = document[offset..<min(document.count, offset + t)]
                var row: [Int32] = [M1Model.bosToken]
                row.append(contentsOf: bytes.map { Int32($0) })
                for position in 0..<t {
                    tokens.append(position < row.count ? row[position] : M1Model.bosToken)
                    let hasTarget = position + 1 < row.count
                    targets.append(hasTarget ? row[position + 1] : 0)
                    weights.append(hasTarget ? 1 : 0)
                }
            }
            let batch = TrainingBatch(
                batchSize: settings.batchSize, sequenceLength: t, tokens: tokens, targets: targets, weights: weights)
            let report = try session.step(batch)
            // A line every 10 seconds (and the first and last step), with the time left.
            let seconds = Date().timeIntervalSince(started)
            if step == 0 || step == settings.steps - 1 || seconds - lastLine >= 10 {
                lastLine = seconds
                let left = seconds / Double(step + 1) * Double(settings.steps - step - 1)
                log(
                    String(
                        format: "ac: training M1, step %d/%d, loss %.3f bits/byte, %.0f s elapsed, about %.0f s left", step + 1,
                        settings.steps, report.loss / Float(M_LN2), seconds, left))
            }
        }
        var record = settings.record
        record["training_documents"] = String(usable.count)
        record["training_bytes"] = String(total)
        return try M1Model.save(model.parameters, training: record, to: directory)
    }
}
