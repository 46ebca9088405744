/// A linear weight stored input-major for deterministic products: row p holds W[·, p] for
/// every output, padded to a multiple of 16 outputs.
///
/// y[o] = Σ_p x[p] · W[o, p] is one FMA chain in p order per output, 16 outputs per vector and
/// no horizontal sums, so an output's bits depend only on its own row of inputs (never on the
/// batch, the band or the thread), and the loop is 3x faster than one dot product per output.
struct TransposedMatrix: @unchecked Sendable {
    let storage: FPtr  // (inputs, stride)
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
