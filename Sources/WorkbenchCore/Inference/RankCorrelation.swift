/// Spearman's rank correlation with an exact permutation p-value and a bootstrap interval: how
/// well a cheap per-compressor statistic ranks compressors the way their downstream result does.
///
/// Ranks are averaged over ties (so tied values share a rank), and rho is Pearson's correlation of
/// the ranks. The two-sided p-value is the share of the n! pairings of the two rankings whose
/// |rho| is at least the observed one: exact for n up to `exactLimit` (40,320 permutations at 8),
/// estimated from `permutations` seeded random pairings above it. The 95% interval resamples the
/// compressors with replacement (resamples where one side is constant are skipped).
public struct RankCorrelation: Sendable, Equatable, Codable {
    /// Spearman's rho (nil when one side is constant: no ranking to compare).
    public var rho: Double?
    /// 2.5th and 97.5th percentiles of rho over bootstrap resamples.
    public var confidenceInterval95: ClosedInterval?
    /// Two-sided permutation p-value.
    public var pValue: Double?
    /// Whether `pValue` enumerated every permutation.
    public var exact: Bool
    /// Pairs correlated.
    public var n: Int

    /// Largest n whose p-value enumerates every permutation.
    public static let exactLimit = 8

    /// Correlates `x` and `y` (same length, finite values).
    public init(x: [Double], y: [Double], resamples: Int = 2000, permutations: Int = 20_000, seed: UInt64 = 0) {
        precondition(x.count == y.count, "RankCorrelation needs pairs")
        n = x.count
        exact = n <= Self.exactLimit
        rho = Self.spearman(x, y)
        guard let observed = rho, n >= 3 else { return }
        let rx = Self.ranks(x), ry = Self.ranks(y)
        var generator = SplitMix64(seed: seed)
        // p-value: how often a random pairing of the same ranks correlates at least as strongly.
        var extreme = 0
        var total = 0
        func count(_ permuted: [Double]) {
            total += 1
            if let value = Self.pearson(rx, permuted), abs(value) >= abs(observed) - 1e-12 { extreme += 1 }
        }
        if exact {
            var items = ry
            Self.forEachPermutation(&items, 0, count)
        } else {
            for _ in 0..<permutations { count(ry.shuffled(using: &generator)) }
        }
        pValue = Double(extreme) / Double(total)
        var values: [Double] = []
        for _ in 0..<resamples {
            let picks = (0..<n).map { _ in Int(generator.next() % UInt64(n)) }
            if let value = Self.spearman(picks.map { x[$0] }, picks.map { y[$0] }) { values.append(value) }
        }
        if values.count >= resamples / 2 {
            values.sort()
            confidenceInterval95 = ClosedInterval(
                lower: values[Int((Double(values.count - 1) * 0.025).rounded())],
                upper: values[Int((Double(values.count - 1) * 0.975).rounded())])
        }
    }

    /// Spearman's rho: Pearson's correlation of average ranks (nil when a side is constant).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? { pearson(ranks(x), ranks(y)) }

    /// 1-based ranks, ties sharing their average rank.
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = average }
            start = end + 1
        }
        return ranks
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        guard x.count >= 2 else { return nil }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Calls `body` with every permutation of `items` (swap recursion, n! calls).
    private static func forEachPermutation(_ items: inout [Double], _ k: Int, _ body: ([Double]) -> Void) {
        if k == items.count - 1 || items.isEmpty {
            body(items)
            return
        }
        for index in k..<items.count {
            items.swapAt(k, index)
            forEachPermutation(&items, k + 1, body)
            items.swapAt(k, index)
        }
    }

    enum CodingKeys: String, CodingKey {
        case rho = "spearman", confidenceInterval95 = "ci95", pValue = "p_value", exact, n
    }
}
