import COpenBLAS
import Dispatch

// Kernel conventions (llm.c): B batch, T sequence length, C width, V vocabulary, NH heads,
// hs head size, H MLP hidden width, N = B·T rows. Matrices are row-major; linear weights are
// (out, in). Every buffer is annotated with its shape.

/// Splits `0..<count` into at most `EngineThreads.count` contiguous chunks run concurrently.
/// Callers must make each index's result independent of the chunking (all our kernels do).
@inline(__always)
func parallelChunks(_ count: Int, minimumPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let workers = min(EngineThreads.count, max(1, count / max(1, minimumPerChunk)))
    if workers <= 1 || count <= 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let lo = count * w / workers, hi = count * (w + 1) / workers
        if lo < hi { body(lo..<hi) }
    }
}

/// Matrix products: OpenBLAS for speed, a naive triple loop as the reference the tests use.
public enum Matmul {
    /// C (m, n) = alpha · op(A) · op(B) + beta · C, row-major; op(A) is (m, k), op(B) is (k, n).
    /// With the `.splitRows` strategy a large product is cut into one band of rows of C (or of
    /// columns, when m is small) per thread; `serial` forbids that (inside parallel loops).
    @inline(__always)
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, serial: Bool = false
    ) {
        if m == 0 || n == 0 { return }
        let strategy = EngineThreads.strategy  // first use also configures OpenBLAS
        let threads = EngineThreads.count
        if serial || threads == 1 || strategy == .openBLAS || m * n * k < 1 << 21 {
            blas(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        if m >= 64 * threads {
            DispatchQueue.concurrentPerform(iterations: threads) { w in
                // bands aligned to 16 rows
                let lo = (m * w / threads) & ~15, hi = w == threads - 1 ? m : (m * (w + 1) / threads) & ~15
                if lo >= hi { return }
                let aa = transA ? a + lo : a + lo * lda
                blas(transA, transB, hi - lo, n, k, alpha, aa, lda, b, ldb, beta, c + lo * ldc, ldc)
            }
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { w in
                let lo = (n * w / threads) & ~15, hi = w == threads - 1 ? n : (n * (w + 1) / threads) & ~15
                if lo >= hi { return }
                let bb = transB ? b + lo * ldb : b + lo
                blas(transA, transB, m, hi - lo, k, alpha, a, lda, bb, ldb, beta, c + lo, ldc)
            }
        }
    }

    @inline(__always)
    static func blas(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The obvious reference for `sgemm` (same arguments), accumulating in Double.
    public static func referenceSgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = transA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                    s += Double(av) * Double(bv)
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * Float(s) + old
            }
        }
    }
}

// MARK: - SIMD element-wise math

typealias F16 = SIMD16<Float>

/// e^x for 16 lanes (Cephes expf: range reduction by ln 2 in two parts, degree-6 polynomial,
/// exponent by bit arithmetic), within about 1 ulp on [-87, 88]; inputs are clamped there.
@inline(__always)
func simdExp(_ xIn: F16) -> F16 {
    var x = vmin(vmax(xIn, F16(repeating: -87.3)), F16(repeating: 88.3))
    // Round x·log2(e) to an integer by adding 1.5·2^23: the sum's low mantissa bits hold n
    // (a generic float-to-int SIMD conversion is not vectorized and cost 30% of a step).
    let shifted = x * 1.442_695_040_888_963_4 + 12_582_912.0
    let fx = shifted - 12_582_912.0
    x = x - fx * 0.693_359_375
    x = x - fx * -2.121_944_4e-4
    var p = F16(repeating: 1.987_569_150_0e-4)
    p = p * x + 1.398_199_950_7e-3
    p = p * x + 8.333_451_907_3e-3
    p = p * x + 4.166_579_589_4e-2
    p = p * x + 1.666_666_545_9e-1
    p = p * x + 5.000_000_120_1e-1
    p = p * (x * x) + x + 1
    let n = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127
    let scale = unsafeBitCast(n &<< 23, to: F16.self)
    return p * scale
}

/// e^x for one value, bit-identical to the corresponding lane of `simdExp`.
@inline(__always)
func scalarExp(_ x: Float) -> Float {
    simdExp(F16(repeating: x))[0]
}

/// Lane-wise maximum as compare-and-blend. Subtle: the standard `pointwiseMax` follows IEEE
/// `maximum` NaN rules lane by lane through memory (not vectorized; 40% of decoding time).
@inline(__always) func vmax(_ a: F16, _ b: F16) -> F16 { a.replacing(with: b, where: a .< b) }
/// Lane-wise minimum as compare-and-blend (see `vmax`).
@inline(__always) func vmin(_ a: F16, _ b: F16) -> F16 { a.replacing(with: b, where: b .< a) }

/// tanh for 16 lanes via 1 - 2/(e^{2u}+1) (absolute error about 1e-7).
@inline(__always)
func simdTanh(_ u: F16) -> F16 {
    let e = simdExp(u * 2)
    return 1 - 2 / (e + 1)
}

let geluK: Float = 0.797_884_560_802_865_4  // sqrt(2/pi)
let geluA: Float = 0.044_715

/// Applies `body` to `count` floats in 16-lane blocks; the tail is zero-padded into one block,
/// so every element goes through exactly the same arithmetic whatever its index.
@inline(__always)
func simdMap(
    _ count: Int, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
    _ body: (F16) -> F16
) {
    var i = 0
    while i + 16 <= count {
        let v = UnsafeRawPointer(input + i).loadUnaligned(as: F16.self)
        UnsafeMutableRawPointer(output + i).storeBytes(of: body(v), as: F16.self)
        i += 16
    }
    if i < count {
        var v = F16(repeating: 0)
        for j in 0..<(count - i) { v[j] = input[i + j] }
        let r = body(v)
        for j in 0..<(count - i) { output[i + j] = r[j] }
    }
}

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> F16 {
    UnsafeRawPointer(p).loadUnaligned(as: F16.self)
}
@inline(__always) func load16(_ p: UnsafeMutablePointer<Float>) -> F16 {
    UnsafeRawPointer(p).loadUnaligned(as: F16.self)
}
@inline(__always) func store16(_ v: F16, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self)
}

/// Fixed-order dot product: 16-lane partial sums over full blocks, a zero-padded tail block,
/// then a fixed pairwise reduction. Same inputs give the same bits on any thread.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc0 = F16(repeating: 0), acc1 = F16(repeating: 0)
    var i = 0
    while i + 32 <= n {
        acc0.addProduct(load16(a + i), load16(b + i))
        acc1.addProduct(load16(a + i + 16), load16(b + i + 16))
        i += 32
    }
    while i + 16 <= n {
        acc0.addProduct(load16(a + i), load16(b + i))
        i += 16
    }
    if i < n {
        var va = F16(repeating: 0), vb = F16(repeating: 0)
        for j in 0..<(n - i) { va[j] = a[i + j]; vb[j] = b[i + j] }
        acc1.addProduct(va, vb)
    }
    return reduce16(acc0 + acc1)
}

/// Sum of 16 lanes in a fixed pairwise order.
@inline(__always)
func reduce16(_ v: F16) -> Float {
    let a = v.lowHalf + v.highHalf
    let b = a.lowHalf + a.highHalf
    let c = b.lowHalf + b.highHalf
    return c[0] + c[1]
}

/// Maximum of 16 lanes.
@inline(__always)
func max16(_ v: F16) -> Float {
    let a = v.lowHalf.replacing(with: v.highHalf, where: v.lowHalf .< v.highHalf)
    let b = a.lowHalf.replacing(with: a.highHalf, where: a.lowHalf .< a.highHalf)
    let c = b.lowHalf.replacing(with: b.highHalf, where: b.lowHalf .< b.highHalf)
    return max(c[0], c[1])
}

/// y += a · x over n floats.
@inline(__always)
func axpy(_ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    var i = 0
    let av = F16(repeating: a)
    while i + 16 <= n {
        var yv = load16(y + i)
        yv.addProduct(av, load16(x + i))
        store16(yv, y + i)
        i += 16
    }
    while i < n { y[i] = y[i].addingProduct(a, x[i]); i += 1 }
}

/// y += x over n floats.
@inline(__always)
func addInPlace(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    var i = 0
    while i + 16 <= n { store16(load16(y + i) + load16(x + i), y + i); i += 16 }
    while i < n { y[i] += x[i]; i += 1 }
}

/// Allocates an uninitialized float buffer filled with zeros.
func allocateFloats(_ n: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
    p.initialize(repeating: 0, count: max(n, 1))
    return p
}
