// Forward and backward of every layer, side by side (llm.c style). Letters: B batch, T sequence
// length, C width, NH heads, hs = C / NH, H MLP hidden width, V vocabulary, N = B·T rows.
// Backward functions ACCUMULATE into parameter gradients (+=) and, where noted, into input
// gradients; the caller zeroes them.

import Dispatch

typealias FPtr = UnsafeMutablePointer<Float>
typealias CFPtr = UnsafePointer<Float>

// MARK: Embedding

/// out (N, C) = wte[tokens] ; wte (V, C).
func embeddingForward(_ out: FPtr, _ tokens: UnsafePointer<Int32>, _ wte: CFPtr, _ n: Int, _ c: Int) {
    for i in 0..<n {
        (out + i * c).update(from: wte + Int(tokens[i]) * c, count: c)
    }
}

/// dwte (V, C) += scatter of dout (N, C).
func embeddingBackward(_ dwte: FPtr, _ dout: CFPtr, _ tokens: UnsafePointer<Int32>, _ n: Int, _ c: Int) {
    for i in 0..<n {
        addInPlace(c, dout + i * c, dwte + Int(tokens[i]) * c)
    }
}

// MARK: RMSNorm

/// out (N, C) = x / sqrt(mean(x²) + eps) · weight (C); rstd (N) saved for backward.
func rmsnormForward(_ out: FPtr, _ rstd: FPtr, _ x: CFPtr, _ weight: CFPtr, _ n: Int, _ c: Int, _ eps: Float) {
    parallelChunks(n, minimumPerChunk: 64) { rows in
        for i in rows {
            let xi = x + i * c, oi = out + i * c
            let r = rmsnormRow(oi, xi, weight, c, eps)
            rstd[i] = r
        }
    }
}

/// One row of RMSNorm with fixed-order arithmetic (also the deterministic inference kernel).
@inline(__always)
func rmsnormRow(_ out: FPtr, _ x: CFPtr, _ weight: CFPtr, _ c: Int, _ eps: Float) -> Float {
    let ss = dot(x, x, c)
    let r = 1 / (ss / Float(c) + eps).squareRoot()
    var j = 0
    let rv = F16(repeating: r)
    while j + 16 <= c { store16(load16(x + j) * rv * load16(weight + j), out + j); j += 16 }
    while j < c { out[j] = x[j] * r * weight[j]; j += 1 }
    return r
}

/// dx (N, C) += RMSNorm backward of dout (N, C); dweight (C) += Σ dout · x̂.
func rmsnormBackward(
    _ dx: FPtr, _ dweight: FPtr, _ dout: CFPtr, _ x: CFPtr, _ weight: CFPtr, _ rstd: CFPtr, _ n: Int, _ c: Int
) {
    parallelChunks(n, minimumPerChunk: 64) { rows in
        for i in rows {
            let xi = x + i * c, gi = dout + i * c, di = dx + i * c
            let r = rstd[i]
            // mean over C of (dout · w) · x̂
            var acc = F16(repeating: 0)
            var j = 0
            while j + 16 <= c { acc.addProduct(load16(gi + j) * load16(weight + j), load16(xi + j)); j += 16 }
            var s = reduce16(acc)
            while j < c { s += gi[j] * weight[j] * xi[j]; j += 1 }
            let m = s * r / Float(c)  // mean(g·x̂) with x̂ = x·r
            j = 0
            let rv = F16(repeating: r), mv = F16(repeating: m * r)
            while j + 16 <= c {
                let g = load16(gi + j) * load16(weight + j)
                store16(load16(di + j) + rv * (g - load16(xi + j) * mv), di + j)
                j += 16
            }
            while j < c { di[j] += r * (gi[j] * weight[j] - xi[j] * m * r); j += 1 }
        }
    }
    for i in 0..<n {
        let r = rstd[i], xi = x + i * c, gi = dout + i * c
        var j = 0
        let rv = F16(repeating: r)
        while j + 16 <= c {
            var d = load16(dweight + j)
            d.addProduct(load16(gi + j), load16(xi + j) * rv)
            store16(d, dweight + j)
            j += 16
        }
        while j < c { dweight[j] += gi[j] * xi[j] * r; j += 1 }
    }
}

// MARK: Linear (no bias), through OpenBLAS

/// out (N, OC) = inp (N, IC) · Wᵀ, W (OC, IC); beta 1 adds to out (used for residuals).
@inline(__always)
func linearForward(_ out: FPtr, _ inp: CFPtr, _ w: CFPtr, _ n: Int, _ ic: Int, _ oc: Int, beta: Float = 0) {
    Matmul.sgemm(
        transA: false, transB: true, m: n, n: oc, k: ic, a: inp, lda: ic, b: w, ldb: ic,
        beta: beta, c: out, ldc: oc)
}

/// dinp (N, IC) = dout (N, OC) · W (beta 1 accumulates); dW (OC, IC) += doutᵀ · inp.
@inline(__always)
func linearBackward(
    _ dinp: FPtr, _ dw: FPtr, _ dout: CFPtr, _ inp: CFPtr, _ w: CFPtr, _ n: Int, _ ic: Int, _ oc: Int,
    dinpBeta: Float = 0
) {
    Matmul.sgemm(
        transA: false, transB: false, m: n, n: ic, k: oc, a: dout, lda: oc, b: w, ldb: ic,
        beta: dinpBeta, c: dinp, ldc: ic)
    Matmul.sgemm(
        transA: true, transB: false, m: oc, n: ic, k: n, a: dout, lda: oc, b: inp, ldb: ic,
        beta: 1, c: dw, ldc: ic)
}

// MARK: RoPE

/// cos and sin tables (T, hs/2) for positions 0..<T, computed in Double then rounded.
func ropeTables(positions t: Int, headSize hs: Int, base: Float) -> (cos: [Float], sin: [Float]) {
    let half = hs / 2
    var cosT = [Float](repeating: 0, count: t * half), sinT = cosT
    for p in 0..<t {
        for i in 0..<half {
            let invFreq = _pow(Double(base), -2.0 * Double(i) / Double(hs))
            let angle = Double(p) * invFreq
            cosT[p * half + i] = Float(_cos(angle))
            sinT[p * half + i] = Float(_sin(angle))
        }
    }
    return (cosT, sinT)
}

/// Rotates one head vector (hs) in place: pairs (i, i + hs/2) by the angle of its position.
/// `sign` -1 applies the inverse rotation (the backward pass).
@inline(__always)
func ropeRotate(_ v: FPtr, _ cosRow: CFPtr, _ sinRow: CFPtr, _ half: Int, sign: Float) {
    var i = 0
    let sg = F16(repeating: sign)
    while i + 16 <= half {
        let a = load16(v + i), b = load16(v + i + half)
        let cs = load16(cosRow + i), sn = load16(sinRow + i) * sg
        store16(a * cs - b * sn, v + i)
        store16(b * cs + a * sn, v + i + half)
        i += 16
    }
    while i < half {
        let a = v[i], b = v[i + half], cs = cosRow[i], sn = sinRow[i] * sign
        v[i] = a * cs - b * sn
        v[i + half] = b * cs + a * sn
        i += 1
    }
}

/// Applies RoPE in place to the q and k parts of qkv (B, T, 3C) (sign -1: backward on dqkv).
/// Positions count from each position's document start (starts (B, T)), so a packed document
/// is rotated exactly as it would be alone.
func ropeApply(
    _ qkv: FPtr, _ cosT: CFPtr, _ sinT: CFPtr, _ starts: UnsafePointer<Int32>, _ b: Int, _ t: Int, _ c: Int,
    _ nh: Int, sign: Float
) {
    let hs = c / nh, half = hs / 2
    parallelChunks(b * t, minimumPerChunk: 64) { rows in
        for row in rows {
            let pos = row % t - Int(starts[row])
            let base = qkv + row * 3 * c
            for h in 0..<(2 * nh) {  // nh query heads then nh key heads
                ropeRotate(base + h * hs, cosT + pos * half, sinT + pos * half, half, sign: sign)
            }
        }
    }
}

// MARK: Attention

/// Attention work partition: query blocks of `attentionBlock` rows only multiply against the
/// keys they can see (causal and document-limited), skipping about half of the T×T products.
let attentionBlock = 64

/// Causal (and document-masked) multi-head attention, per (batch, head) on one core each.
/// - qkv (B, T, 3C) with RoPE applied; att (B, NH, T, T) receives the probabilities (rows only
///   filled over the keys each query block sees); y (B, T, C); starts (B, T): first position of
///   each position's document (its own position's run of equal document ids).
func attentionForward(
    _ y: FPtr, _ att: FPtr, _ qkv: CFPtr, _ starts: UnsafePointer<Int32>, _ b: Int, _ t: Int, _ c: Int, _ nh: Int
) {
    let hs = c / nh
    let scale = 1 / Float(hs).squareRoot()
    let c3 = 3 * c
    EngineThreads.withSingleThreadedBLAS {
        let tasks = b * nh
        let workers = min(EngineThreads.count, tasks)
        let body: (Int) -> Void = { w in
            var task = w
            while task < tasks {
                let bi = task / nh, h = task % nh
                let q = qkv + bi * t * c3 + h * hs, k = q + c, v = q + 2 * c
                let a = att + task * t * t
                let st = starts + bi * t
                var r0 = 0
                while r0 < t {
                    let r1 = min(t, r0 + attentionBlock)
                    let ks = Int(st[r0]), ke = r1
                    let s = a + r0 * t + ks
                    Matmul.sgemm(
                        transA: false, transB: true, m: r1 - r0, n: ke - ks, k: hs, alpha: scale,
                        a: q + r0 * c3, lda: c3, b: k + ks * c3, ldb: c3, beta: 0, c: s, ldc: t, serial: true)
                    for i in r0..<r1 {
                        let row = a + i * t
                        let lo = Int(st[i])
                        if lo > ks { (row + ks).update(repeating: 0, count: lo - ks) }
                        if i + 1 < ke { (row + i + 1).update(repeating: 0, count: ke - i - 1) }
                        softmaxInPlace(row + lo, i + 1 - lo)
                    }
                    Matmul.sgemm(
                        transA: false, transB: false, m: r1 - r0, n: hs, k: ke - ks,
                        a: s, lda: t, b: v + ks * c3, ldb: c3, beta: 0,
                        c: y + bi * t * c + r0 * c + h * hs, ldc: c, serial: true)
                    r0 = r1
                }
                task += workers
            }
        }
        if workers <= 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
    }
}

/// Backward of `attentionForward`: dqkv (B, T, 3C) is overwritten (zeroed here first); dy (B, T, C).
/// `scratch` holds `EngineThreads.count` blocks of (attentionBlock, T) floats.
func attentionBackward(
    _ dqkv: FPtr, _ dy: CFPtr, _ qkv: CFPtr, _ att: CFPtr, _ starts: UnsafePointer<Int32>, _ scratch: FPtr,
    scratchSlots: Int, _ b: Int, _ t: Int, _ c: Int, _ nh: Int
) {
    let hs = c / nh
    let scale = 1 / Float(hs).squareRoot()
    let c3 = 3 * c
    dqkv.update(repeating: 0, count: b * t * c3)
    EngineThreads.withSingleThreadedBLAS {
        let tasks = b * nh
        let workers = max(1, min(EngineThreads.count, tasks, scratchSlots))
        let body: (Int) -> Void = { w in
            let ds = scratch + w * attentionBlock * t
            var task = w
            while task < tasks {
                let bi = task / nh, h = task % nh
                let q = qkv + bi * t * c3 + h * hs, k = q + c, v = q + 2 * c
                let dq = dqkv + bi * t * c3 + h * hs, dk = dq + c, dv = dq + 2 * c
                let dyb = dy + bi * t * c + h * hs
                let a = att + task * t * t
                let st = starts + bi * t
                var r0 = 0
                while r0 < t {
                    let r1 = min(t, r0 + attentionBlock)
                    let ks = Int(st[r0]), ke = r1, m = r1 - r0, nk = ke - ks
                    // dP (m, nk) = dY[r0..<r1] · V[ks..<ke]ᵀ
                    Matmul.sgemm(
                        transA: false, transB: true, m: m, n: nk, k: hs,
                        a: dyb + r0 * c, lda: c, b: v + ks * c3, ldb: c3, beta: 0, c: ds, ldc: t, serial: true)
                    for i in r0..<r1 {
                        let p = a + i * t, d = ds + (i - r0) * t
                        let lo = Int(st[i])
                        // dS_j = P_j (dP_j - Σ_k P_k dP_k), over the keys the row sees
                        let s = dot(p + lo, d + lo - ks, i + 1 - lo)
                        if lo > ks { d.update(repeating: 0, count: lo - ks) }
                        var j = lo
                        let sv = F16(repeating: s)
                        while j + 16 <= i + 1 {
                            store16(load16(p + j) * (load16(d + j - ks) - sv), d + j - ks)
                            j += 16
                        }
                        while j <= i { d[j - ks] = p[j] * (d[j - ks] - s); j += 1 }
                        if i + 1 < ke { (d + i + 1 - ks).update(repeating: 0, count: ke - i - 1) }
                    }
                    // dQ[r0..<r1] = scale · dS · K ; dK[ks..<ke] += scale · dSᵀ · Q ; dV += Pᵀ · dY
                    Matmul.sgemm(
                        transA: false, transB: false, m: m, n: hs, k: nk, alpha: scale,
                        a: ds, lda: t, b: k + ks * c3, ldb: c3, beta: 0, c: dq + r0 * c3, ldc: c3, serial: true)
                    Matmul.sgemm(
                        transA: true, transB: false, m: nk, n: hs, k: m, alpha: scale,
                        a: ds, lda: t, b: q + r0 * c3, ldb: c3, beta: 1, c: dk + ks * c3, ldc: c3, serial: true)
                    Matmul.sgemm(
                        transA: true, transB: false, m: nk, n: hs, k: m,
                        a: a + r0 * t + ks, lda: t, b: dyb + r0 * c, ldb: c, beta: 1,
                        c: dv + ks * c3, ldc: c3, serial: true)
                    r0 = r1
                }
                task += workers
            }
        }
        if workers <= 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
    }
}

/// Softmax of n floats in place with fixed-order arithmetic (max, exp, sum, scale).
@inline(__always)
func softmaxInPlace(_ x: FPtr, _ n: Int) {
    var mv = F16(repeating: -.infinity)
    var j = 0
    while j + 16 <= n { mv = vmax(mv, load16(x + j)); j += 16 }
    var mx = max16(mv)
    while j < n { mx = max(mx, x[j]); j += 1 }
    let mxv = F16(repeating: mx)
    var acc = F16(repeating: 0)
    j = 0
    while j + 16 <= n {
        let e = simdExp(load16(x + j) - mxv)
        store16(e, x + j)
        acc += e
        j += 16
    }
    if j < n {
        var v = F16(repeating: -.infinity)
        for q in 0..<(n - j) { v[q] = x[j + q] }
        let e = simdExp(v - mxv)
        var masked = F16(repeating: 0)
        for q in 0..<(n - j) { x[j + q] = e[q]; masked[q] = e[q] }
        acc += masked
    }
    let inv = 1 / reduce16(acc)
    let iv = F16(repeating: inv)
    j = 0
    while j + 16 <= n { store16(load16(x + j) * iv, x + j); j += 16 }
    while j < n { x[j] *= inv; j += 1 }
}

// MARK: GELU (tanh approximation)

/// out (N·H) = gelu(inp).
func geluForward(_ out: FPtr, _ inp: CFPtr, _ count: Int) {
    parallelChunks(count / 16, minimumPerChunk: 256) { blocks in
        let lo = blocks.lowerBound * 16
        let hi = blocks.upperBound == count / 16 ? count : blocks.upperBound * 16
        simdMap(hi - lo, inp + lo, out + lo) { geluSIMD($0) }
    }
}

@inline(__always)
func geluSIMD(_ x: F16) -> F16 {
    let u = geluK * (x + geluA * x * x * x)
    return 0.5 * x * (1 + simdTanh(u))
}

/// dinp = gelu'(inp) · dout, written over dout (in place).
func geluBackward(_ dinout: FPtr, _ inp: CFPtr, _ count: Int) {
    parallelChunks(count / 16, minimumPerChunk: 256) { blocks in
        let lo = blocks.lowerBound * 16
        let hi = blocks.upperBound == count / 16 ? count : blocks.upperBound * 16
        var i = lo
        while i + 16 <= hi {
            store16(geluGradSIMD(load16(inp + i)) * load16(dinout + i), dinout + i)
            i += 16
        }
        while i < hi {
            let g = geluGradSIMD(F16(repeating: inp[i]))[0]
            dinout[i] *= g
            i += 1
        }
    }
}

@inline(__always)
func geluGradSIMD(_ x: F16) -> F16 {
    let x2 = x * x
    let u = geluK * (x + geluA * x2 * x)
    let th = simdTanh(u)
    let du = geluK * (1 + 3 * geluA * x2)
    return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * du
}

// MARK: Cross-entropy

/// Per row: loss_i = logsumexp(logits_i) - logits_i[target_i], and, in place, dlogits_i =
/// (softmax(logits_i) - onehot) · weight_i · gradScale. Rows with weight 0 get loss 0 and
/// gradient 0. Returns Σ weight_i · loss_i (in Double).
func crossEntropyForwardBackward(
    _ logits: FPtr, _ losses: FPtr?, _ targets: UnsafePointer<Int32>, _ weights: CFPtr,
    _ n: Int, _ v: Int, gradScale: Float, computeGradient: Bool
) -> Double {
    let threads = EngineThreads.count
    let part = UnsafeMutablePointer<Double>.allocate(capacity: threads)
    part.initialize(repeating: 0, count: threads)
    defer { part.deallocate() }
    do {
        let chunks = min(threads, max(1, n))
        let body: (Int) -> Void = { w in
            let lo = n * w / chunks, hi = n * (w + 1) / chunks
            var sum = 0.0
            for i in lo..<hi {
                let row = logits + i * v
                let wt = weights[i]
                if wt == 0 && computeGradient {
                    row.update(repeating: 0, count: v)
                    losses?[i] = 0
                    continue
                }
                let (lse, _) = logSumExp(row, v)
                let loss = lse - row[Int(targets[i])]
                losses?[i] = loss
                sum += Double(wt) * Double(loss)
                if computeGradient {
                    let g = wt * gradScale
                    let lv = F16(repeating: lse), gv = F16(repeating: g)
                    var j = 0
                    while j + 16 <= v { store16(simdExp(load16(row + j) - lv) * gv, row + j); j += 16 }
                    while j < v { row[j] = scalarExp(row[j] - lse) * g; j += 1 }
                    row[Int(targets[i])] -= g
                }
            }
            part[w] = sum
        }
        if chunks <= 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
    }
    var total = 0.0
    for w in 0..<threads { total += part[w] }
    return total
}

/// (logsumexp, max) of n floats with fixed-order arithmetic.
@inline(__always)
func logSumExp(_ x: CFPtr, _ n: Int) -> (Float, Float) {
    var mv = F16(repeating: -.infinity)
    var j = 0
    while j + 16 <= n { mv = vmax(mv, load16(x + j)); j += 16 }
    var mx = max16(mv)
    while j < n { mx = max(mx, x[j]); j += 1 }
    let mxv = F16(repeating: mx)
    var acc = F16(repeating: 0)
    j = 0
    while j + 16 <= n { acc += simdExp(load16(x + j) - mxv); j += 16 }
    if j < n {
        var t = F16(repeating: -.infinity)
        for q in 0..<(n - j) { t[q] = x[j + q] }
        let e = simdExp(t - mxv)
        var masked = F16(repeating: 0)
        for q in 0..<(n - j) { masked[q] = e[q] }
        acc += masked
    }
    return (mx + Float(_log(Double(reduce16(acc)))), mx)
}
