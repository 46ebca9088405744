/// Levenshtein distance over symbol sequences, bit-parallel.
///
/// Myers' bit-vector algorithm (J. ACM 1999) in Hyyrö's multi-word form (2003): the pattern's
/// column of the DP matrix is held as vertical delta bit-vectors, 64 rows per machine word, so one
/// text symbol costs ceil(m / 64) word operations. Two documents of 20,000 symbols take about
/// 6 million word steps instead of 400 million cell updates. Alphabets of any size are supported:
/// the per-symbol match masks are built only for symbols that occur in the pattern.
public enum EditDistance {
    /// The Levenshtein distance (unit insert, delete, substitute) between `a` and `b`.
    public static func levenshtein(_ a: [UInt32], _ b: [UInt32]) -> Int {
        // The shorter sequence is the pattern: fewer words per step.
        let (pattern, text) = a.count <= b.count ? (a, b) : (b, a)
        let m = pattern.count
        guard m > 0 else { return text.count }
        let blocks = (m + 63) / 64
        // Match masks: for each distinct pattern symbol, `blocks` words with bit i set where pattern[i] == symbol.
        var maskIndex: [UInt32: Int] = [:]
        var masks: [UInt64] = []
        for (position, symbol) in pattern.enumerated() {
            let base: Int
            if let existing = maskIndex[symbol] {
                base = existing
            } else {
                base = masks.count
                maskIndex[symbol] = base
                masks.append(contentsOf: repeatElement(0, count: blocks))
            }
            masks[base + position / 64] |= 1 << UInt64(position % 64)
        }
        let lastBit = UInt64(1) << UInt64((m - 1) % 64)
        var positive = [UInt64](repeating: ~0, count: blocks)  // Pv: vertical delta +1
        var negative = [UInt64](repeating: 0, count: blocks)  // Mv: vertical delta -1
        var score = m
        masks.withUnsafeBufferPointer { masks in
            positive.withUnsafeMutableBufferPointer { pv in
                negative.withUnsafeMutableBufferPointer { mv in
                    for symbol in text {
                        let base = maskIndex[symbol]
                        // Row 0 of the DP is 0, 1, 2, ...: the horizontal delta entering block 0 is +1.
                        var carry = 1
                        for block in 0..<blocks {
                            var equal = base.map { masks[$0 + block] } ?? 0
                            let p = pv[block], n = mv[block]
                            let xv = equal | n
                            if carry < 0 { equal |= 1 }
                            let xh = (((equal & p) &+ p) ^ p) | equal
                            var ph = n | ~(xh | p)
                            var mh = p & xh
                            let top: UInt64 = block == blocks - 1 ? lastBit : 1 << 63
                            let outgoing = ph & top != 0 ? 1 : (mh & top != 0 ? -1 : 0)
                            ph <<= 1
                            mh <<= 1
                            if carry < 0 { mh |= 1 } else if carry > 0 { ph |= 1 }
                            pv[block] = mh | ~(xv | ph)
                            mv[block] = ph & xv
                            carry = outgoing
                        }
                        score += carry
                    }
                }
            }
        }
        return score
    }

    /// Distance divided by the longer length: 0 for equal sequences, 1 for nothing in common.
    public static func normalized(_ a: [UInt32], _ b: [UInt32]) -> Double {
        let longer = max(a.count, b.count)
        return longer == 0 ? 0 : Double(levenshtein(a, b)) / Double(longer)
    }

    /// The textbook O(m n) dynamic programme, kept as the reference the fast one is tested against.
    public static func referenceLevenshtein(_ a: [UInt32], _ b: [UInt32]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
