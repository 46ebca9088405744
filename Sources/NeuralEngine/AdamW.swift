/// AdamW hyperparameters (PyTorch defaults except the learning rate, which the schedule sets).
public struct AdamWConfig: Codable, Equatable, Sendable {
    /// Decay of the first moment (PyTorch default 0.9).
    public var beta1: Float
    /// Decay of the second moment (PyTorch default 0.999).
    public var beta2: Float
    /// Added to the bias-corrected root of the second moment (PyTorch default 1e-8).
    public var epsilon: Float
    /// Decoupled weight decay, applied to matrices and embeddings only (not norm gains).
    public var weightDecay: Float

    /// Hyperparameters; the defaults are PyTorch's except weight decay (0.01, PyTorch's AdamW default too).
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
    }
}

/// AdamW with PyTorch's semantics (`torch.optim.AdamW`, single-tensor path): per step t,
/// θ ← θ·(1 − lr·λ); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
/// θ ← θ − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
/// Loshchilov and Hutter, "Decoupled weight decay regularization" (2019).
public struct AdamW: Equatable, Sendable {
    /// Hyperparameters.
    public var config: AdamWConfig
    /// First moments, same layout as the parameters.
    public var m: Parameters
    /// Second moments.
    public var v: Parameters
    /// Number of updates applied so far (t of the bias corrections).
    public var step: Int

    /// Fresh optimizer state for a model config.
    public init(modelConfig: ModelConfig, config: AdamWConfig = AdamWConfig()) throws {
        self.config = config
        m = try Parameters(zerosFor: modelConfig)
        v = try Parameters(zerosFor: modelConfig)
        step = 0
    }

    /// Applies one update to `parameters` from `gradients` at learning rate `learningRate`.
    public mutating func update(_ parameters: inout Parameters, gradients: Parameters, learningRate lr: Float) {
        step += 1
        let b1 = config.beta1, b2 = config.beta2, eps = config.epsilon
        let bc1 = 1 - Float(_pow(Double(b1), Double(step)))
        let bc2 = 1 - Float(_pow(Double(b2), Double(step)))
        let stepSize = lr / bc1
        let bc2Sqrt = bc2.squareRoot()
        let specs = parameters.layout.tensors
        let decay = config.weightDecay
        parameters.values.withUnsafeMutableBufferPointer { pb in
            gradients.values.withUnsafeBufferPointer { gb in
                m.values.withUnsafeMutableBufferPointer { mb in
                    v.values.withUnsafeMutableBufferPointer { vb in
                        let p = pb.baseAddress!, g = gb.baseAddress!, mp = mb.baseAddress!, vp = vb.baseAddress!
                        for spec in specs {
                            let keep: Float = spec.decays ? 1 - lr * decay : 1
                            let o = spec.offset, cnt = spec.count
                            parallelChunks(cnt, minimumPerChunk: 1 << 15) { r in
                                for i in (o + r.lowerBound)..<(o + r.upperBound) {
                                    let gi = g[i]
                                    let mi = b1 * mp[i] + (1 - b1) * gi
                                    let vi = b2 * vp[i] + (1 - b2) * gi * gi
                                    mp[i] = mi; vp[i] = vi
                                    let denom = vi.squareRoot() / bc2Sqrt + eps
                                    p[i] = p[i] * keep - stepSize * (mi / denom)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Linear warm-up to `maxLearningRate`, then cosine decay to `minLearningRate` at `totalSteps`.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    /// Peak rate, reached at the end of warm-up.
    public var maxLearningRate: Float
    /// Final rate, reached at `totalSteps`.
    public var minLearningRate: Float
    /// Steps of linear warm-up.
    public var warmupSteps: Int
    /// Step at which the cosine reaches `minLearningRate`.
    public var totalSteps: Int

    /// A schedule; `warmupSteps` 0 starts directly on the cosine.
    public init(maxLearningRate: Float, minLearningRate: Float = 0, warmupSteps: Int, totalSteps: Int) {
        self.maxLearningRate = maxLearningRate; self.minLearningRate = minLearningRate
        self.warmupSteps = warmupSteps; self.totalSteps = totalSteps
    }

    /// The rate for 0-based `step`: max·(step+1)/warmup during warm-up, then
    /// min + ½(max−min)(1 + cos(π·progress)), constant at min after `totalSteps`.
    public func learningRate(atStep step: Int) -> Float {
        if step < warmupSteps { return maxLearningRate * Float(step + 1) / Float(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, Double(step - warmupSteps) / Double(span))
        let cosine = 0.5 * (1 + _cos(Double.pi * progress))
        return minLearningRate + Float(cosine) * (maxLearningRate - minLearningRate)
    }
}

/// Global L2 norm of a gradient buffer (accumulated in Double).
public func globalNorm(_ gradients: Parameters) -> Float {
    gradients.values.withUnsafeBufferPointer { g in
        var s = 0.0
        var acc = F16(repeating: 0)
        let n = g.count
        let p = g.baseAddress!
        var i = 0
        while i + 16 <= n {
            let x = load16(p + i)
            acc.addProduct(x, x)
            i += 16
            if i & 4095 == 0 { s += Double(reduce16(acc)); acc = F16(repeating: 0) }
        }
        s += Double(reduce16(acc))
        while i < n { s += Double(p[i]) * Double(p[i]); i += 1 }
        return Float(s.squareRoot())
    }
}

/// Scales gradients so their global norm is at most `maxNorm` (PyTorch `clip_grad_norm_`:
/// coefficient maxNorm / (norm + 1e-6), applied only when below 1). Returns the norm before.
@discardableResult
public func clipGlobalNorm(_ gradients: inout Parameters, maxNorm: Float) -> Float {
    let norm = globalNorm(gradients)
    let coef = maxNorm / (norm + 1e-6)
    if coef < 1 && norm.isFinite {
        gradients.values.withUnsafeMutableBufferPointer { g in
            for i in g.indices { g[i] *= coef }
        }
    }
    return norm
}
