import NeuralEngine

extension PackedBatch {
    /// The engine's batch for these sequences.
    public var trainingBatch: TrainingBatch {
        TrainingBatch(
            batchSize: batchSize, sequenceLength: sequenceLength, tokens: tokens, targets: targets, weights: weights,
            extraTargets: extraTargets, extraWeights: extraWeights, documentIDs: documentIDs)
    }

    /// Mean loss over raw targets and over compressed targets, from per-position losses.
    public func lossByView(_ losses: [Float]) -> (raw: Double?, compressed: Double?) {
        var sums = [0.0, 0.0, 0.0], counts = [0, 0, 0]
        for (index, view) in targetViews.enumerated() where weights[index] > 0 && index < losses.count {
            sums[Int(view.rawValue)] += Double(losses[index])
            counts[Int(view.rawValue)] += 1
        }
        return (counts[1] > 0 ? sums[1] / Double(counts[1]) : nil, counts[2] > 0 ? sums[2] / Double(counts[2]) : nil)
    }
}
