import NeuralEngine

/// A batch of fixed-length sequences cut from the stream: the engine's batch, plus what the
/// trainer needs to split the loss by view.
///
/// Position t predicts `training.targets[t]`; a target in another unit than its input (a document
/// boundary) or past the stream has weight 0. `training.documentIDs` holds each input position's
/// unit (document), for the attention mask.
public struct PackedBatch: Sendable, Equatable {
    /// The batch the engine trains on.
    public var training: TrainingBatch
    /// The view of each target (B, T), for the loss split by view.
    public var targetViews: [TokenView]

    /// Creates a batch.
    public init(training: TrainingBatch, targetViews: [TokenView]) {
        self.training = training
        self.targetViews = targetViews
    }

    /// Mean loss over raw targets and over compressed targets, from per-position losses.
    public func lossByView(_ losses: [Float]) -> (raw: Double?, compressed: Double?) {
        var sums = [0.0, 0.0, 0.0], counts = [0, 0, 0]
        for (index, view) in targetViews.enumerated() where training.weights[index] > 0 && index < losses.count {
            sums[Int(view.rawValue)] += Double(losses[index])
            counts[Int(view.rawValue)] += 1
        }
        return (counts[1] > 0 ? sums[1] / Double(counts[1]) : nil, counts[2] > 0 ? sums[2] / Double(counts[2]) : nil)
    }
}

extension PackedBatch {
    /// Each sequence of the batch as a batch of one.
    func rows() -> [PackedBatch] {
        let b = training.batchSize, t = training.sequenceLength
        return (0..<b).map { row in
            let range = row * t..<(row + 1) * t
            let batch = TrainingBatch(
                batchSize: 1, sequenceLength: t, tokens: Array(training.tokens[range]), targets: Array(training.targets[range]),
                weights: Array(training.weights[range]), extraTargets: training.extraTargets.map { Array($0[range]) },
                extraWeights: training.extraWeights.map { Array($0[range]) },
                documentIDs: training.documentIDs.map { Array($0[range]) })
            return PackedBatch(training: batch, targetViews: Array(targetViews[range]))
        }
    }

    /// Sequences stacked into one batch (all of one sequence length).
    init(concatenating rows: [PackedBatch]) {
        let t = rows.first?.training.sequenceLength ?? 0
        let extra = rows.first?.training.extraTargets != nil
        var batch = TrainingBatch(
            batchSize: rows.count, sequenceLength: t, tokens: rows.flatMap(\.training.tokens),
            targets: rows.flatMap(\.training.targets),
            weights: rows.flatMap(\.training.weights))
        if extra {
            batch.extraTargets = rows.flatMap { $0.training.extraTargets ?? [] }
            batch.extraWeights = rows.flatMap { $0.training.extraWeights ?? [] }
        }
        batch.documentIDs = rows.flatMap { $0.training.documentIDs ?? [] }
        self.init(training: batch, targetViews: rows.flatMap(\.targetViews))
    }
}
