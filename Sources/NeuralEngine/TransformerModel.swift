import Dispatch

/// A decoder-only transformer language model with explicit forward and backward passes.
///
/// Holds the `Parameters`, a same-shaped gradient buffer and a workspace of activations sized
/// for the last batch shape. Matrix products go through OpenBLAS (fast, not bit-reproducible
/// across shapes or threads); for bit-exact next-token distributions use `InferenceSession`.
/// Not thread-safe: one model per training loop.
public final class TransformerModel {
    /// The architecture.
    public let config: ModelConfig
    /// The weights.
    public var parameters: Parameters
    /// Gradients accumulated by `backward()` since the last `zeroGradients()`.
    public var gradients: Parameters
    var workspace: Workspace?

    /// A freshly initialized model (seeded, GPT-2 style init; see `Parameters.init(config:seed:)`).
    /// - Throws: `EngineError.invalidConfig` before allocating anything.
    public init(config: ModelConfig, seed: UInt64) throws {
        try config.validate()
        self.config = config
        parameters = try Parameters(config: config, seed: seed)
        gradients = try Parameters(zerosFor: config)
    }

    /// A model around existing weights (e.g. loaded from safetensors).
    public init(parameters: Parameters) throws {
        try parameters.config.validate()
        guard parameters.values.count == ParameterLayout(config: parameters.config).count else {
            throw EngineError.invalidConfig(
                "parameter buffer has \(parameters.values.count) floats, config needs \(ParameterLayout(config: parameters.config).count)"
            )
        }
        config = parameters.config
        self.parameters = parameters
        gradients = try Parameters(zerosFor: parameters.config)
    }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        gradients.values.withUnsafeMutableBufferPointer { g in
            g.update(repeating: 0)
        }
    }

    private func workspaceFor(_ batch: TrainingBatch) -> Workspace {
        if let w = workspace, w.b == batch.batchSize, w.t == batch.sequenceLength { return w }
        workspace = nil  // free the old shape first
        let w = Workspace(config: config, batchSize: batch.batchSize, sequenceLength: batch.sequenceLength)
        workspace = w
        return w
    }

    /// Runs the forward pass and returns the weighted mean loss (see `TrainingBatch`).
    ///
    /// With `forTraining` the logits buffer is replaced by the loss gradient, ready for
    /// `backward()`; otherwise the logits stay readable through `lastLogits()`.
    /// - Parameter gradientScale: multiplies the loss gradient (1/k when accumulating k
    ///   micro-batches).
    /// - Throws: `EngineError.invalidBatch` for a malformed batch (nothing is computed).
    @discardableResult
    public func forward(_ batch: TrainingBatch, forTraining: Bool = true, gradientScale: Float = 1) throws -> Float {
        try batch.validate(for: config)
        let ws = workspaceFor(batch)
        let c = config.width, h = config.hiddenWidth, v = config.vocabularySize, nh = config.heads
        let b = ws.b, t = ws.t, n = ws.n
        batch.tokens.withUnsafeBufferPointer { ws.tokens.update(from: $0.baseAddress!, count: n) }
        batch.targets.withUnsafeBufferPointer { ws.targets.update(from: $0.baseAddress!, count: n) }
        batch.weights.withUnsafeBufferPointer { ws.weights.update(from: $0.baseAddress!, count: n) }
        batch.documentStarts().withUnsafeBufferPointer { ws.starts.update(from: $0.baseAddress!, count: n) }
        ws.hasExtraTargets = batch.extraTargets != nil && config.extraHead
        var weightSum = batch.weights.reduce(0.0) { $0 + Double($1) }
        if ws.hasExtraTargets, let et = batch.extraTargets, let ew = batch.extraWeights {
            et.withUnsafeBufferPointer { ws.targets2.update(from: $0.baseAddress!, count: n) }
            ew.withUnsafeBufferPointer { ws.weights2.update(from: $0.baseAddress!, count: n) }
            weightSum += ew.reduce(0.0) { $0 + Double($1) }
        }
        let gradScale: Float = weightSum > 0 ? Float(Double(gradientScale) / weightSum) : 0
        ws.gradScale = gradScale
        let lay = parameters.layout
        var total = 0.0
        parameters.values.withUnsafeBufferPointer { pbuf in
            let p = pbuf.baseAddress!
            embeddingForward(ws.resid[0], ws.tokens, p + lay.embedding, n, c)  // (B, T, C)
            for l in 0..<config.layers {
                let a = ws.layers[l], w = lay.blocks[l]
                let x = ws.resid[l]
                rmsnormForward(a.ln1, a.rstd1, x, p + w.norm1, n, c, config.normEpsilon)  // (B, T, C)
                linearForward(a.qkv, a.ln1, p + w.qkv, n, c, 3 * c)  // (B, T, 3C)
                ws.cosT.withUnsafeBufferPointer { cs in
                    ws.sinT.withUnsafeBufferPointer { sn in
                        ropeApply(a.qkv, cs.baseAddress!, sn.baseAddress!, ws.starts, b, t, c, nh, sign: 1)
                    }
                }
                attentionForward(a.atty, a.att, a.qkv, ws.starts, b, t, c, nh)  // (B, T, C)
                a.resMid.update(from: x, count: n * c)
                linearForward(a.resMid, a.atty, p + w.attnProj, n, c, c, beta: 1)  // (B, T, C)
                rmsnormForward(a.ln2, a.rstd2, a.resMid, p + w.norm2, n, c, config.normEpsilon)
                linearForward(a.fch, a.ln2, p + w.fc, n, c, h)  // (B, T, H)
                geluForward(a.fchGelu, a.fch, n * h)  // (B, T, H)
                ws.resid[l + 1].update(from: a.resMid, count: n * c)
                linearForward(ws.resid[l + 1], a.fchGelu, p + w.fcProj, n, h, c, beta: 1)  // (B, T, C)
            }
            rmsnormForward(ws.lnf, ws.rstdf, ws.resid[config.layers], p + lay.finalNorm, n, c, config.normEpsilon)
            linearForward(ws.logits, ws.lnf, p + lay.head, n, c, v)  // (B, T, V)
            total = crossEntropyForwardBackward(
                ws.logits, ws.losses, ws.targets, ws.weights, n, v,
                gradScale: gradScale, computeGradient: forTraining)
            if config.extraHead, let l2 = ws.logits2, let extraOffset = lay.extraHead {
                linearForward(l2, ws.lnf, p + extraOffset, n, c, v)  // (B, T, V)
                if ws.hasExtraTargets, let losses2 = ws.losses2 {
                    total += crossEntropyForwardBackward(
                        l2, losses2, ws.targets2, ws.weights2, n, v,
                        gradScale: gradScale, computeGradient: forTraining)
                } else if forTraining {
                    l2.update(repeating: 0, count: n * v)
                }
            }
        }
        ws.hasForward = true
        ws.trainingForward = forTraining
        return weightSum > 0 ? Float(total / weightSum) : 0
    }

    /// Accumulates the gradient of the last training forward into `gradients`.
    /// - Throws: `EngineError.invalidBatch` when no training forward preceded it.
    public func backward() throws {
        guard let ws = workspace, ws.hasForward, ws.trainingForward else {
            throw EngineError.invalidBatch("backward() needs a preceding forward(_:forTraining: true)")
        }
        ws.hasForward = false
        let c = config.width, h = config.hiddenWidth, v = config.vocabularySize, nh = config.heads
        let b = ws.b, t = ws.t, n = ws.n
        let lay = parameters.layout
        parameters.values.withUnsafeBufferPointer { pbuf in
            gradients.values.withUnsafeMutableBufferPointer { gbuf in
                let p = pbuf.baseAddress!, g = gbuf.baseAddress!
                // heads: dlnf (N, C) = dlogits · Wh (+ dlogits2 · Wh2)
                linearBackward(ws.dln, g + lay.head, ws.logits, ws.lnf, p + lay.head, n, c, v)
                if let l2 = ws.logits2, let e = lay.extraHead, ws.hasExtraTargets {
                    linearBackward(ws.dln, g + e, l2, ws.lnf, p + e, n, c, v, dinpBeta: 1)
                }
                ws.dresid.update(repeating: 0, count: n * c)
                rmsnormBackward(
                    ws.dresid, g + lay.finalNorm, ws.dln, ws.resid[config.layers], p + lay.finalNorm,
                    ws.rstdf, n, c)
                for l in stride(from: config.layers - 1, through: 0, by: -1) {
                    let a = ws.layers[l], w = lay.blocks[l]
                    // MLP branch: resid[l+1] = resMid + gelu(ln2 · Wfcᵀ) · Wprojᵀ
                    linearBackward(ws.dfch, g + w.fcProj, ws.dresid, a.fchGelu, p + w.fcProj, n, h, c)  // (N, H)
                    geluBackward(ws.dfch, a.fch, n * h)
                    linearBackward(ws.dln, g + w.fc, ws.dfch, a.ln2, p + w.fc, n, c, h)  // (N, C)
                    rmsnormBackward(ws.dresid, g + w.norm2, ws.dln, a.resMid, p + w.norm2, a.rstd2, n, c)
                    // attention branch: resMid = resid[l] + attn(ln1) · Woᵀ
                    linearBackward(ws.datty, g + w.attnProj, ws.dresid, a.atty, p + w.attnProj, n, c, c)
                    attentionBackward(
                        ws.dqkv, ws.datty, a.qkv, a.att, ws.starts, ws.attScratch,
                        scratchSlots: ws.attScratchSlots, b, t, c, nh)
                    ws.cosT.withUnsafeBufferPointer { cs in
                        ws.sinT.withUnsafeBufferPointer { sn in
                            ropeApply(ws.dqkv, cs.baseAddress!, sn.baseAddress!, ws.starts, b, t, c, nh, sign: -1)
                        }
                    }
                    linearBackward(ws.dln, g + w.qkv, ws.dqkv, a.ln1, p + w.qkv, n, c, 3 * c)
                    rmsnormBackward(ws.dresid, g + w.norm1, ws.dln, ws.resid[l], p + w.norm1, a.rstd1, n, c)
                }
                embeddingBackward(g + lay.embedding, ws.dresid, ws.tokens, n, c)
            }
        }
    }

    /// Logits of the last forward (B·T·V floats, row-major), or nil after a training forward
    /// (whose logits were replaced by gradients). `extra` selects the token-after-next head.
    public func lastLogits(extra: Bool = false) -> [Float]? {
        guard let ws = workspace, !ws.trainingForward else { return nil }
        let count = ws.n * config.vocabularySize
        let src: FPtr? = extra ? ws.logits2 : ws.logits
        guard let s = src else { return nil }
        return Array(UnsafeBufferPointer(start: s, count: count))
    }

    /// Per-position cross-entropy (nats) of the main head from the last forward (B·T floats;
    /// positions of weight 0 hold 0 after a training forward).
    public func lastLosses() -> [Float]? {
        guard let ws = workspace else { return nil }
        return Array(UnsafeBufferPointer(start: ws.losses, count: ws.n))
    }
}
