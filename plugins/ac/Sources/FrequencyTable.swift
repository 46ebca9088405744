/// A next-byte distribution quantized to integer frequencies that sum to exactly 2^precision,
/// with every byte at least 1 so that any byte stays codable.
///
/// Quantization is integer-exact once the model's floats are fixed: each weight is scaled in
/// Double in a fixed order and truncated, and the rounding remainder goes to the most probable
/// byte (lowest index on ties). Encoder and decoder see the same floats (deterministic mode),
/// so they build the same table on any machine running the same binary.
///
/// Subtle: with `oddFrequencies` every frequency is odd (2q + 1). Equal-info windows rely on it:
/// it guarantees that a window holding one byte always has a cell that straddles a boundary
/// between that byte's successors, so a window can always be closed unambiguously (see
/// `EqualInfoWindowCoder`). It halves the resolution of the quantization, which costs a little
/// rate, so plain AC does not use it.
struct FrequencyTable {
    /// log2 of the total.
    let precision: Int
    /// Cumulative frequencies: `cumulative[b] ..< cumulative[b + 1]` is byte b; 257 entries,
    /// `cumulative[256] == 1 << precision`.
    private(set) var cumulative: [UInt32]

    init(precision: Int) {
        self.precision = precision
        cumulative = [UInt32](repeating: 0, count: 257)
    }

    /// The total, 2^precision.
    var total: UInt32 { UInt32(1) << UInt32(precision) }

    /// Frequency of `byte`.
    @inline(__always) func frequency(_ byte: Int) -> UInt32 { cumulative[byte + 1] &- cumulative[byte] }

    /// Rebuilds the table from weights (first 256 entries are used).
    mutating func update(from weights: [Float], oddFrequencies: Bool) {
        let total = Int(1) << precision
        let units = oddFrequencies ? (total - 256) / 2 : total - 256
        var quantized = [Int](repeating: 0, count: 256)
        weights.withUnsafeBufferPointer { p in
            var sum = 0.0
            let count = min(256, p.count)
            for i in 0..<count {
                let w = Double(p[i])
                if w.isFinite && w > 0 { sum += w }
            }
            var assigned = 0
            if sum > 0 && sum.isFinite {
                let scale = Double(units) / sum
                for i in 0..<count {
                    let w = Double(p[i])
                    guard w.isFinite && w > 0 else { continue }
                    let q = min(Double(units), (w * scale).rounded(.down))
                    let value = Int(q)
                    quantized[i] = value
                    assigned += value
                }
            }
            if assigned == 0 {
                // No usable weights (all zero or non-finite): fall back to uniform.
                for i in 0..<256 { quantized[i] = units / 256 + (i < units % 256 ? 1 : 0) }
                assigned = units
            }
            var remainder = units - assigned
            // Positive remainder: to the most probable byte. Negative (floating error): take
            // from the largest until balanced; never drives a value below zero.
            while remainder != 0 {
                var best = 0
                for i in 1..<256 where quantized[i] > quantized[best] { best = i }
                if remainder > 0 {
                    quantized[best] += remainder
                    remainder = 0
                } else {
                    let take = min(-remainder, quantized[best])
                    if take == 0 { break }
                    quantized[best] -= take
                    remainder += take
                }
            }
        }
        cumulative.withUnsafeMutableBufferPointer { c in
            var running: UInt32 = 0
            c[0] = 0
            for i in 0..<256 {
                let f = oddFrequencies ? 2 * UInt32(quantized[i]) + 1 : UInt32(quantized[i]) + 1
                running &+= f
                c[i + 1] = running
            }
        }
    }

    /// The byte whose range holds `target` (< total), by binary search.
    @inline(__always) func byte(containing target: UInt32) -> Int {
        cumulative.withUnsafeBufferPointer { c in
            var lo = 0, hi = 256
            while hi - lo > 1 {
                let mid = (lo + hi) >> 1
                if c[mid] <= target { lo = mid } else { hi = mid }
            }
            return lo
        }
    }
}
