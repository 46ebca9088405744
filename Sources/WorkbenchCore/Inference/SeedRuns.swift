/// Raw bits per byte of one model, by budget and seed: what the train stage measured.
public struct SeedRuns: Sendable, Equatable {
    /// budget -> seed -> raw bits per byte.
    public var losses: [Double: [UInt64: Double]]

    /// Creates the table.
    public init(_ losses: [Double: [UInt64: Double]] = [:]) { self.losses = losses }

    /// Budgets in increasing order.
    public var budgets: [Double] { losses.keys.sorted() }

    /// The summary of one budget's seeds.
    public func summary(atBudget budget: Double) -> SampleSummary? {
        SampleSummary((losses[budget] ?? [:]).sorted { $0.key < $1.key }.map(\.value))
    }

    /// The power law through every budget's mean (nil with fewer than two budgets).
    public func fit(seeds: [UInt64]? = nil) -> PowerLawFit? {
        PowerLawFit(
            budgets.compactMap { budget in
                let values = losses[budget] ?? [:]
                // A resample may draw a seed twice: it then counts twice, as the bootstrap intends.
                let chosen = seeds.map { $0.compactMap { values[$0] } } ?? Array(values.values)
                guard !chosen.isEmpty else { return nil }
                return (budget, chosen.reduce(0, +) / Double(chosen.count))
            })
    }

    /// The seed-paired difference self - `other` at `budget` (seeds both ran), summarized.
    public func pairedDifference(from other: SeedRuns, atBudget budget: Double) -> SampleSummary? {
        let mine = losses[budget] ?? [:]
        let theirs = other.losses[budget] ?? [:]
        let seeds = Set(mine.keys).intersection(theirs.keys).sorted()
        return SampleSummary(seeds.compactMap { seed in mine[seed].flatMap { a in theirs[seed].map { a - $0 } } })
    }
}

/// Where a proxy's fitted line crosses the bytes-only line: an extrapolation, with a bootstrap
/// interval over seeds.
public struct CrossoverEstimate: Sendable, Equatable, Codable {
    /// The compute (FLOPs) where the fitted lines meet.
    public var estimate: Double
    /// 2.5th and 97.5th percentiles over bootstrap resamples whose lines meet (nil when fewer
    /// than half of them do).
    public var confidenceInterval95: ClosedInterval?
    /// Share of bootstrap resamples whose lines meet above the smallest budget.
    public var definedShare: Double

    enum CodingKeys: String, CodingKey {
        case estimate, confidenceInterval95 = "ci95", definedShare = "defined_share"
    }

    /// The crossover of `proxy` with `baseline`, or nil when their fitted lines are parallel or
    /// met at or below the smallest budget. The bootstrap draws seeds with replacement (the same
    /// seeds for both models, which saw the same data order), `resamples` times, from `seed`.
    public init?(proxy: SeedRuns, baseline: SeedRuns, resamples: Int = 1000, seed: UInt64 = 0) {
        guard let smallest = proxy.budgets.first, let proxyFit = proxy.fit(), let baselineFit = baseline.fit(),
            let estimate = proxyFit.crossover(with: baselineFit, above: smallest)
        else { return nil }
        self.estimate = estimate
        let seeds = Array(
            Set(proxy.losses.values.flatMap(\.keys)).intersection(baseline.losses.values.flatMap(\.keys))
        ).sorted()
        var generator = SplitMix64(seed: seed)
        var crossings: [Double] = []
        if !seeds.isEmpty {
            for _ in 0..<resamples {
                let drawn = (0..<seeds.count).map { _ in seeds[Int(generator.next() % UInt64(seeds.count))] }
                guard let p = proxy.fit(seeds: drawn), let b = baseline.fit(seeds: drawn) else { continue }
                if let crossing = p.crossover(with: b, above: smallest) { crossings.append(crossing) }
            }
        }
        definedShare = resamples > 0 ? Double(crossings.count) / Double(resamples) : 0
        if definedShare >= 0.5 {
            crossings.sort()
            let lower = crossings[Int((Double(crossings.count - 1) * 0.025).rounded())]
            let upper = crossings[Int((Double(crossings.count - 1) * 0.975).rounded())]
            confidenceInterval95 = ClosedInterval(lower: lower, upper: upper)
        }
    }
}
