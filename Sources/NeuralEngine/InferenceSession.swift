import Dispatch

/// Incremental inference with a key/value cache over a batch of independent sequences, in
/// deterministic mode.
///
/// Every number is computed by the engine's own fixed-order SIMD kernels (never OpenBLAS, whose
/// results depend on call shape and threads, PERF-NOTES): a row's logits depend only on the
/// weights and that sequence's tokens, so `step` one position at a time, `sequenceLogits` over a
/// whole sequence, any batch size and any `EngineThreads.count` give bit-identical results (for
/// a given binary). The arithmetic coder relies on this.
///
/// Positions count from the last `reset` of each sequence (and, in `sequenceLogits`, from each
/// document's start), matching training.
public final class InferenceSession {
    /// The architecture.
    public let config: ModelConfig
    /// Independent sequences decoded together.
    public let batchSize: Int
    /// Positions each sequence can hold before it must be reset.
    public let capacity: Int
    /// Tokens currently cached per sequence.
    public private(set) var lengths: [Int]

    let kernels: DeterministicKernels
    let kCache: [FPtr]   // per layer (B, C, keyStride): keys channel-major, 16 positions per load
    let keyStride: Int
    let vCache: [FPtr]   // per layer (B, capacity, C)
    let logitsBuffer: FPtr  // (B, V)
    let rows: RowBuffers    // (B, ·) activations of the current step
    let scores: [FPtr]      // per worker (keyStride)

    /// A session over a copy of `parameters`.
    /// - Parameters:
    ///   - batchSize: number of independent sequences.
    ///   - capacity: positions per sequence (defaults to the config's context length).
    /// - Throws: `EngineError.invalidConfig` for an impossible config or sizes.
    public init(parameters: Parameters, batchSize: Int = 1, capacity: Int? = nil) throws {
        try parameters.config.validate()
        let cap = capacity ?? parameters.config.contextLength
        guard batchSize >= 1, cap >= 1 else { throw EngineError.invalidConfig("batchSize and capacity must be >= 1") }
        config = parameters.config
        self.batchSize = batchSize
        self.capacity = cap
        lengths = [Int](repeating: 0, count: batchSize)
        kernels = DeterministicKernels(parameters: parameters, maxPositions: cap)
        let c = config.width
        keyStride = keyStrideFor(cap)
        let ks = keyStride
        kCache = (0..<config.layers).map { _ in allocateFloats(batchSize * c * ks) }
        vCache = (0..<config.layers).map { _ in allocateFloats(batchSize * cap * c) }
        logitsBuffer = allocateFloats(batchSize * config.vocabularySize)
        rows = RowBuffers(config: config, rows: batchSize)
        scores = (0..<max(1, EngineThreads.count)).map { _ in allocateFloats(ks) }
    }

    deinit {
        for p in kCache { p.deallocate() }
        for p in vCache { p.deallocate() }
        for p in scores { p.deallocate() }
        logitsBuffer.deallocate()
    }

    /// Forgets sequence `index`'s context (its next token is at position 0).
    public func reset(sequence index: Int) {
        if index >= 0 && index < batchSize { lengths[index] = 0 }
    }

    /// Forgets every sequence's context.
    public func resetAll() {
        for i in 0..<batchSize { lengths[i] = 0 }
    }

    /// Appends one token to each sequence and returns the next-token logits (B, V) row-major.
    /// - Parameter tokens: one id per sequence (`batchSize` entries).
    /// - Throws: `EngineError.invalidBatch` for a wrong count, an id out of range or a full
    ///   sequence (reset it first).
    public func step(_ tokens: [Int32]) throws -> [Float] {
        try stepInPlace(tokens)
        return Array(UnsafeBufferPointer(start: logitsBuffer, count: batchSize * config.vocabularySize))
    }

    /// Like `step`, but returns next-token probabilities (deterministic softmax) (B, V).
    public func stepProbabilities(_ tokens: [Int32]) throws -> [Float] {
        try stepInPlace(tokens)
        let v = config.vocabularySize
        for b in 0..<batchSize { softmaxInPlace(logitsBuffer + b * v, v) }
        return Array(UnsafeBufferPointer(start: logitsBuffer, count: batchSize * v))
    }

    func stepInPlace(_ tokens: [Int32]) throws {
        guard tokens.count == batchSize else {
            throw EngineError.invalidBatch("step needs \(batchSize) tokens, got \(tokens.count)")
        }
        for (i, t) in tokens.enumerated() {
            guard t >= 0 && Int(t) < config.vocabularySize else {
                throw EngineError.invalidBatch("tokens[\(i)] = \(t) outside 0..<\(config.vocabularySize)")
            }
            guard lengths[i] < capacity else {
                throw EngineError.invalidBatch("sequence \(i) is full (\(capacity) positions); reset it")
            }
        }
        let c = config.width, cap = capacity, ks = keyStride
        let k = kernels, kc = kCache, vc = vCache, lens = lengths, out = logitsBuffer, r = rows, sc = scores
        // Sequences are independent: each worker runs every layer over its own band of rows.
        let run: (Range<Int>, FPtr) -> Void = { band, scoreBuffer in
            for b in band { k.embed(r.x + b * c, Int(tokens[b])) }
            for l in 0..<k.config.layers {
                k.attentionInput(l, r, band, position: { lens[$0] },
                                 keyColumn: { kc[l] + $0 * c * ks + lens[$0] }, keyStride: ks,
                                 values: { vc[l] + ($0 * cap + lens[$0]) * c })
                k.attentionOutputAndMLP(l, r, band, scores: scoreBuffer, count: { lens[$0] + 1 },
                                        keys: { kc[l] + $0 * c * ks }, keyStride: ks,
                                        values: { vc[l] + $0 * cap * c })
            }
            k.head(out, r, band)
        }
        forBands(batchSize, workers: sc.count) { band, w in run(band, sc[w]) }
        for b in 0..<batchSize { lengths[b] += 1 }
    }

    /// Deterministic logits (T, V) for every position of one sequence, computed layer by layer
    /// over all positions (in parallel) with the same kernels as `step`: bit-identical to
    /// feeding the tokens one at a time (resetting at each new document).
    /// - Parameter documentIDs: optional per-position ids; a position sees only its own run.
    /// - Throws: `EngineError.invalidBatch` for ids out of range or mismatched lengths.
    public static func sequenceLogits(parameters: Parameters, tokens: [Int32], documentIDs: [Int32]? = nil) throws -> [Float] {
        let config = parameters.config
        try config.validate()
        let t = tokens.count
        guard t > 0 else { return [] }
        if let i = tokens.firstIndex(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
            throw EngineError.invalidBatch("tokens[\(i)] = \(tokens[i]) outside 0..<\(config.vocabularySize)")
        }
        if let d = documentIDs, d.count != t { throw EngineError.invalidBatch("documentIDs has \(d.count) entries, expected \(t)") }
        let starts = TrainingBatch(batchSize: 1, sequenceLength: t, tokens: tokens, targets: tokens,
                                   documentIDs: documentIDs).documentStarts()
        let k = DeterministicKernels(parameters: parameters, maxPositions: t)
        let c = config.width, v = config.vocabularySize
        let ks = keyStrideFor(t)
        let keys = (0..<config.layers).map { _ in allocateFloats(c * ks) }  // (C, ks) per layer
        let values = (0..<config.layers).map { _ in allocateFloats(t * c) }
        let r = RowBuffers(config: config, rows: t)
        let workers = max(1, EngineThreads.count)
        let sc = (0..<workers).map { _ in allocateFloats(ks) }
        defer { keys.forEach { $0.deallocate() }; values.forEach { $0.deallocate() }; sc.forEach { $0.deallocate() } }
        var out = [Float](repeating: 0, count: t * v)
        for i in 0..<t { k.embed(r.x + i * c, Int(tokens[i])) }
        for l in 0..<config.layers {
            // all keys and values of the layer first: later rows attend to earlier ones
            forBands(t, workers: workers) { band, _ in
                k.attentionInput(l, r, band, position: { $0 - Int(starts[$0]) }, keyColumn: { keys[l] + $0 },
                                 keyStride: ks, values: { values[l] + $0 * c })
            }
            forBands(t, workers: workers) { band, w in
                k.attentionOutputAndMLP(l, r, band, scores: sc[w], count: { $0 - Int(starts[$0]) + 1 },
                                        keys: { keys[l] + Int(starts[$0]) }, keyStride: ks,
                                        values: { values[l] + Int(starts[$0]) * c })
            }
        }
        out.withUnsafeMutableBufferPointer { ob in
            let o = ob.baseAddress!
            forBands(t, workers: workers) { band, _ in k.head(o, r, band) }
        }
        return out
    }
}

/// Runs `body` over contiguous bands of `0..<count`, one per worker (at most `workers`).
/// Results never depend on the banding: every kernel computes each row on its own.
func forBands(_ count: Int, workers maxWorkers: Int, _ body: @escaping (Range<Int>, Int) -> Void) {
    let workers = max(1, min(EngineThreads.count, maxWorkers, count))
    if workers == 1 { body(0..<count, 0); return }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        body((count * w / workers)..<(count * (w + 1) / workers), w)
    }
}

/// Activations of a group of rows (sequences of a step, or positions of a sequence).
final class RowBuffers: @unchecked Sendable {
    let x: FPtr       // (R, C) residual stream
    let xn: FPtr      // (R, C) normalized
    let qkv: FPtr     // (R, 3C) with RoPE'd q and k
    let y: FPtr       // (R, C) attention output
    let tmp: FPtr     // (R, C)
    let hidden: FPtr  // (R, H)
    init(config: ModelConfig, rows: Int) {
        let c = config.width
        x = allocateFloats(rows * c); xn = allocateFloats(rows * c); qkv = allocateFloats(rows * 3 * c)
        y = allocateFloats(rows * c); tmp = allocateFloats(rows * c); hidden = allocateFloats(rows * config.hiddenWidth)
    }
    deinit {
        for p in [x, xn, qkv, y, tmp, hidden] { p.deallocate() }
    }
}

/// The fixed-order kernels behind deterministic inference: one function per stage over a band
/// of rows, shared by incremental and whole-sequence evaluation so both produce the same bits.
/// Every output element is computed from its own row only, in a fixed order, so the grouping
/// of rows into bands and threads never changes a bit.
final class DeterministicKernels: @unchecked Sendable {
    let config: ModelConfig
    let layout: ParameterLayout
    let w: FPtr             // all weights (copied), for the embedding and norm gains
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
            BlockMatrices(qkv: TransposedMatrix(weights + b.qkv, outputs: 3 * c, inputs: c),
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

/// A linear weight stored input-major for deterministic products: row p holds W[·, p] for
/// every output, padded to a multiple of 16 outputs.
///
/// y[o] = Σ_p x[p] · W[o, p] is one FMA chain in p order per output, 16 outputs per vector and
/// no horizontal sums, so an output's bits depend only on its own row of inputs (never on the
/// batch, the band or the thread), and the loop is 3x faster than one dot product per output.
struct TransposedMatrix: @unchecked Sendable {
    let storage: FPtr   // (inputs, stride)
    let outputs: Int
    let inputs: Int
    let stride: Int

    /// Copies and transposes W (outputs, inputs).
    init(_ w: CFPtr, outputs: Int, inputs: Int) {
        self.outputs = outputs
        self.inputs = inputs
        stride = (outputs + 15) / 16 * 16
        storage = allocateFloats(inputs * stride)
        for o in 0..<outputs {
            for p in 0..<inputs { storage[p * stride + o] = w[o * inputs + p] }
        }
    }

    /// Y (rows, outputs) with row stride ldy = X (rows, inputs) with row stride ldx, times Wᵀ.
    /// Output blocks outside, rows inside: a block's weight columns stay in cache across rows.
    func apply(_ y: FPtr, _ ldy: Int, _ x: CFPtr, _ ldx: Int, _ rows: Int) {
        let s = stride, n = inputs, wt = storage
        var o = 0
        while o + 64 <= outputs {
            for i in 0..<rows {
                let xi = x + i &* ldx, yi = y + i &* ldy
                var a0 = F16(repeating: 0), a1 = F16(repeating: 0), a2 = F16(repeating: 0), a3 = F16(repeating: 0)
                var col = wt + o
                for p in 0..<n {
                    let xp = F16(repeating: xi[p])
                    a0.addProduct(xp, load16(col)); a1.addProduct(xp, load16(col + 16))
                    a2.addProduct(xp, load16(col + 32)); a3.addProduct(xp, load16(col + 48))
                    col += s
                }
                store16(a0, yi + o); store16(a1, yi + o + 16); store16(a2, yi + o + 32); store16(a3, yi + o + 48)
            }
            o += 64
        }
        while o < outputs {
            let valid = min(16, outputs - o)
            for i in 0..<rows {
                let xi = x + i &* ldx, yi = y + i &* ldy
                var a0 = F16(repeating: 0)
                var col = wt + o
                for p in 0..<n {
                    a0.addProduct(F16(repeating: xi[p]), load16(col))
                    col += s
                }
                if valid == 16 { store16(a0, yi + o) } else { for q in 0..<valid { yi[o + q] = a0[q] } }
            }
            o += 16
        }
    }
}

/// Y (R, rows) = X (R, cols) · Wᵀ with W (rows, cols): every element is exactly
/// `dot(W[o], X[i], cols)`. Inputs are taken in blocks of 16 so that the weights stream from
/// memory once per block instead of once per input row.
@inline(__always)
func matmatRows(_ y: FPtr, _ ldy: Int, _ wt: CFPtr, _ x: CFPtr, _ ldx: Int, _ inputs: Int, _ rows: Int, _ cols: Int) {
    var i0 = 0
    while i0 < inputs {
        let i1 = min(inputs, i0 + 16)
        if cols % 32 == 0 {
            var r = 0
            while r + 2 <= rows {
                let w0 = wt + r &* cols, w1 = w0 + cols
                for i in i0..<i1 {
                    let xi = x + i &* ldx
                    var a0 = F16(repeating: 0), b0 = F16(repeating: 0)
                    var a1 = F16(repeating: 0), b1 = F16(repeating: 0)
                    var p = 0
                    while p < cols {
                        let xa = load16(xi + p), xb = load16(xi + p + 16)
                        a0.addProduct(load16(w0 + p), xa); b0.addProduct(load16(w0 + p + 16), xb)
                        a1.addProduct(load16(w1 + p), xa); b1.addProduct(load16(w1 + p + 16), xb)
                        p += 32
                    }
                    let yi = y + i &* ldy
                    yi[r] = reduce16(a0 + b0); yi[r + 1] = reduce16(a1 + b1)
                }
                r += 2
            }
            if r < rows {
                for i in i0..<i1 { y[i &* ldy + r] = dot(wt + r &* cols, x + i &* ldx, cols) }
            }
        } else {
            for i in i0..<i1 {
                for r in 0..<rows { y[i &* ldy + r] = dot(wt + r &* cols, x + i &* ldx, cols) }
            }
        }
        i0 = i1
    }
}

/// y (out) = W (out, in) · x (in): `matmatRows` with one input row.
@inline(__always)
func matvec(_ y: FPtr, _ wt: CFPtr, _ x: CFPtr, _ rows: Int, _ cols: Int) {
    matmatRows(y, rows, wt, x, cols, 1, rows, cols)
}

/// Positions per channel row of a key cache: capacity rounded up to 16, plus 16, so that a
/// 16-key load starting at any cached position stays inside the buffer.
func keyStrideFor(_ capacity: Int) -> Int { (capacity + 15) / 16 * 16 + 16 }

/// y (hs) = Σ_j p_j · V_j over `count` value rows (row stride `stride`), in a fixed order:
/// for head sizes that are multiples of 16, keys are split by j mod 4 into four register
/// accumulators combined as (a0 + a1) + (a2 + a3); otherwise one in-order chain.
@inline(__always)
func weightedValueSum(_ y: FPtr, _ p: CFPtr, _ v: CFPtr, _ count: Int, _ hs: Int, _ stride: Int) {
    if hs % 16 != 0 {
        y.update(repeating: 0, count: hs)
        for j in 0..<count { axpy(hs, p[j], v + j &* stride, y) }
        return
    }
    var d = 0
    while d < hs {
        var a0 = F16(repeating: 0), a1 = F16(repeating: 0), a2 = F16(repeating: 0), a3 = F16(repeating: 0)
        var j = 0
        while j + 4 <= count {
            let base = v + (j &* stride &+ d)
            a0.addProduct(F16(repeating: p[j]), load16(base))
            a1.addProduct(F16(repeating: p[j + 1]), load16(base + stride))
            a2.addProduct(F16(repeating: p[j + 2]), load16(base + 2 &* stride))
            a3.addProduct(F16(repeating: p[j + 3]), load16(base + 3 &* stride))
            j += 4
        }
        while j < count {
            a0.addProduct(F16(repeating: p[j]), load16(v + (j &* stride &+ d)))
            j += 1
        }
        store16((a0 + a1) + (a2 + a3), y + d)
        d += 16
    }
}
