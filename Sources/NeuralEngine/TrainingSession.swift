/// What one optimizer step did.
public struct StepReport: Equatable, Sendable {
    /// 0-based index of the step just taken.
    public var step: Int
    /// Weighted mean loss (nats) over the step's batches.
    public var loss: Float
    /// Global gradient norm before clipping.
    public var gradientNorm: Float
    /// Learning rate used.
    public var learningRate: Float
}

/// A model with its optimizer, schedule and clipping: the training step the proxy trainer calls.
public final class TrainingSession {
    /// The model being trained (its `parameters` are updated in place by `step`).
    public let model: TransformerModel
    /// AdamW moments and step count.
    public var optimizer: AdamW
    /// Learning rate per step.
    public var schedule: LearningRateSchedule
    /// Global-norm clip threshold (nil: no clipping).
    public var maxGradientNorm: Float?

    /// A session over `model`, with fresh optimizer state.
    public init(
        model: TransformerModel, optimizer: AdamWConfig = AdamWConfig(),
        schedule: LearningRateSchedule, maxGradientNorm: Float? = 1.0
    ) throws {
        self.model = model
        self.optimizer = try AdamW(modelConfig: model.config, config: optimizer)
        self.schedule = schedule
        self.maxGradientNorm = maxGradientNorm
    }

    /// Steps taken so far (the optimizer's t).
    public var stepsTaken: Int { optimizer.step }

    /// One optimizer step over one or more micro-batches (gradients averaged over them).
    ///
    /// - Throws: `EngineError.invalidBatch` for a malformed batch; `EngineError.nonFiniteLoss`
    ///   when the loss or the gradient norm is NaN or infinite, in which case the parameters
    ///   and optimizer state are left exactly as before the call.
    @discardableResult
    public func step(_ batches: [TrainingBatch]) throws -> StepReport {
        guard !batches.isEmpty else { throw EngineError.invalidBatch("step needs at least one batch") }
        for b in batches { try b.validate(for: model.config) }
        model.zeroGradients()
        var lossSum: Float = 0
        let k = Float(batches.count)
        for b in batches {
            let loss = try model.forward(b, forTraining: true, gradientScale: 1 / k)
            lossSum += loss
            if !loss.isFinite {
                throw EngineError.nonFiniteLoss(step: optimizer.step, loss: loss, gradientNorm: .nan)
            }
            try model.backward()
        }
        let loss = lossSum / k
        let norm = maxGradientNorm.map { clipGlobalNorm(&model.gradients, maxNorm: $0) } ?? globalNorm(model.gradients)
        if !norm.isFinite {
            throw EngineError.nonFiniteLoss(step: optimizer.step, loss: loss, gradientNorm: norm)
        }
        let lr = schedule.learningRate(atStep: optimizer.step)
        let index = optimizer.step
        optimizer.update(&model.parameters, gradients: model.gradients, learningRate: lr)
        return StepReport(step: index, loss: loss, gradientNorm: norm, learningRate: lr)
    }

    /// One optimizer step over one batch.
    @discardableResult
    public func step(_ batch: TrainingBatch) throws -> StepReport { try step([batch]) }
}
