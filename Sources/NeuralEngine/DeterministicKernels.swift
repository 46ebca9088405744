import Dispatch

/// The fixed-order kernels behind deterministic inference: one function per stage over a band
/// of rows, shared by incremental and whole-sequence evaluation so both produce the same bits.
/// Every output element is computed from its own row only, in a fixed order, so the grouping
/// of rows into bands and threads never changes a bit.
final class DeterministicKernels: @unchecked Sendable {
    let config: ModelConfig
    let layout: ParameterLayout
    let w: FPtr  // all weights (copied), for the embedding and norm gains
    let cosT: FPtr, sinT: FPtr  // (maxPositions, hs/2)
    /// Input-major copies of the matrices: (in, roundUp16(out)) each.
    struct BlockMatrices { let qkv: TransposedMatrix, attnProj: TransposedMatrix, fc: TransposedMatrix, fcProj: TransposedMatrix }
    let blocks: [BlockMatrices]
    let headMatrix: TransposedMatrix

    init(parameters: Parameters, maxPositions: Int) {
        config = parameters.config
        layout = parameters.layout
        let weights = allocateFloats(parameters.values.count)
        parameters.values.withUnsafeBufferPointer { weights.update(from: $0.baseAddress!, count: $0.count) }
        let c = parameters.config.width, h = parameters.config.hiddenWidth
        blocks = parameters.layout.blocks.map { b in
            BlockMatrices(
                qkv: TransposedMatrix(weights + b.qkv, outputs: 3 * c, inputs: c),
                attnProj: TransposedMatrix(weights + b.attnProj, outputs: c, inputs: c),
                fc: TransposedMatrix(weights + b.fc, outputs: h, inputs: c),
                fcProj: TransposedMatrix(weights + b.fcProj, outputs: c, inputs: h))
        }
        headMatrix = TransposedMatrix(weights + parameters.layout.head, outputs: parameters.config.vocabularySize, inputs: c)
        let tables = ropeTables(positions: maxPositions, headSize: parameters.config.headSize, base: parameters.config.ropeBase)
        let cs = allocateFloats(tables.cos.count), sn = allocateFloats(tables.sin.count)
        tables.cos.withUnsafeBufferPointer { cs.update(from: $0.baseAddress!, count: $0.count) }
        tables.sin.withUnsafeBufferPointer { sn.update(from: $0.baseAddress!, count: $0.count) }
        w = weights; cosT = cs; sinT = sn
    }
    deinit {
        w.deallocate(); cosT.deallocate(); sinT.deallocate()
        for b in blocks { for m in [b.qkv, b.attnProj, b.fc, b.fcProj] { m.storage.deallocate() } }
        headMatrix.storage.deallocate()
    }

    /// x (C) = wte[token].
    @inline(__always) func embed(_ x: FPtr, _ token: Int) {
        x.update(from: w + layout.embedding + token * config.width, count: config.width)
    }

    /// Norm, qkv projection and RoPE of rows `band` of `r.x`; q stays in `r.qkv`, k goes to one
    /// column of a channel-major key cache (C, keyStride), v to a row of a value cache.
    func attentionInput(
        _ l: Int, _ r: RowBuffers, _ band: Range<Int>, position: (Int) -> Int, keyColumn: (Int) -> FPtr,
        keyStride: Int, values: (Int) -> FPtr
    ) {
        if band.isEmpty { return }
        let c = config.width, hs = config.headSize, half = hs / 2, bl = layout.blocks[l]
        for i in band { _ = rmsnormRow(r.xn + i * c, r.x + i * c, w + bl.norm1, c, config.normEpsilon) }
        blocks[l].qkv.apply(r.qkv + band.lowerBound * 3 * c, 3 * c, r.xn + band.lowerBound * c, c, band.count)
        for i in band {
            let row = r.qkv + i * 3 * c, pos = position(i)
            for h in 0..<(2 * config.heads) {
                ropeRotate(row + h * hs, cosT + pos * half, sinT + pos * half, half, sign: 1)
            }
            let kc = keyColumn(i)
            for d in 0..<c { kc[d * keyStride] = row[c + d] }
            values(i).update(from: row + 2 * c, count: c)
        }
    }

    /// For rows `band`: attention of each row's q over its first `count(i)` cached positions
    /// (key columns from `keys(i)`, value rows from `values(i)`), output projection, residual
    /// and MLP; updates `r.x`. `scores` is this worker's buffer (keyStride floats).
    ///
    /// Subtle: a score is the in-order sum over the head's channels of q·k (one FMA chain per
    /// key, 16 keys per vector), so it does not depend on how many keys are computed at once.
    func attentionOutputAndMLP(
        _ l: Int, _ r: RowBuffers, _ band: Range<Int>, scores: FPtr, count: (Int) -> Int, keys: (Int) -> FPtr,
        keyStride: Int, values: (Int) -> FPtr
    ) {
        if band.isEmpty { return }
        let c = config.width, hs = config.headSize, bl = layout.blocks[l], hdim = config.hiddenWidth
        let scale = F16(repeating: 1 / Float(hs).squareRoot())
        for i in band {
            let n = count(i), kBase = keys(i), vBase = values(i)
            for h in 0..<config.heads {
                let qh = r.qkv + i * 3 * c + h * hs
                let kh = kBase + h * hs * keyStride
                var j0 = 0
                // four independent 16-key chains at a time (latency), then one at a time
                while j0 + 48 < n {
                    var a0 = F16(repeating: 0), a1 = F16(repeating: 0), a2 = F16(repeating: 0), a3 = F16(repeating: 0)
                    for d in 0..<hs {
                        let qd = F16(repeating: qh[d])
                        let row = kh + (d &* keyStride &+ j0)
                        a0.addProduct(qd, load16(row))
                        a1.addProduct(qd, load16(row + 16))
                        a2.addProduct(qd, load16(row + 32))
                        a3.addProduct(qd, load16(row + 48))
                    }
                    store16(a0 * scale, scores + j0)
                    store16(a1 * scale, scores + j0 + 16)
                    store16(a2 * scale, scores + j0 + 32)
                    store16(a3 * scale, scores + j0 + 48)
                    j0 += 64
                }
                while j0 < n {
                    var acc = F16(repeating: 0)
                    for d in 0..<hs {
                        acc.addProduct(F16(repeating: qh[d]), load16(kh + (d &* keyStride &+ j0)))
                    }
                    store16(acc * scale, scores + j0)
                    j0 += 16
                }
                softmaxInPlace(scores, n)
                weightedValueSum(r.y + i * c + h * hs, scores, vBase + h * hs, n, hs, c)
            }
        }
        let lo = band.lowerBound, m = band.count
        blocks[l].attnProj.apply(r.tmp + lo * c, c, r.y + lo * c, c, m)
        addInPlace(m * c, r.tmp + lo * c, r.x + lo * c)
        for i in band { _ = rmsnormRow(r.xn + i * c, r.x + i * c, w + bl.norm2, c, config.normEpsilon) }
        blocks[l].fc.apply(r.hidden + lo * hdim, hdim, r.xn + lo * c, c, m)
        for i in band { simdMap(hdim, r.hidden + i * hdim, r.hidden + i * hdim) { geluSIMD($0) } }
        blocks[l].fcProj.apply(r.tmp + lo * c, c, r.hidden + lo * hdim, hdim, m)
        addInPlace(m * c, r.tmp + lo * c, r.x + lo * c)
    }

    /// Final norm and output head of rows `band` of `r.x` into logits (R, V).
    func head(_ logits: FPtr, _ r: RowBuffers, _ band: Range<Int>) {
        if band.isEmpty { return }
        let c = config.width, v = config.vocabularySize
        for i in band { _ = rmsnormRow(r.xn + i * c, r.x + i * c, w + layout.finalNorm, c, config.normEpsilon) }
        headMatrix.apply(logits + band.lowerBound * v, v, r.xn + band.lowerBound * c, c, band.count)
    }
}
