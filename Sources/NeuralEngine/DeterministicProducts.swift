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
