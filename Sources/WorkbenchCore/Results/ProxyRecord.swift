/// What the train stage measured for one model: its raw-byte loss over seeds and budgets, with
/// intervals, and its curve against compute.
///
/// `rawBitsPerByte`, `steps`, `flops`, `curve` and `runDirectory` describe the main (largest)
/// budget: the mean over seeds, and the first seed's run.
public struct ProxyRecord: Sendable, Codable, Equatable {
    /// One point of the curve.
    public struct Point: Sendable, Codable, Equatable {
        /// Training FLOPs spent.
        public var flops: Double
        /// Raw-byte bits per byte at that point (evaluation sample; the whole split at the end).
        public var rawBitsPerByte: Double

        /// Creates a point.
        public init(flops: Double, rawBitsPerByte: Double) {
            self.flops = flops
            self.rawBitsPerByte = rawBitsPerByte
        }

        enum CodingKeys: String, CodingKey { case flops, rawBitsPerByte = "raw_bits_per_byte" }
    }

    /// Final raw-byte bits per byte on the measured split.
    public var rawBitsPerByte: Double
    /// Rate after the warm-up (0 for the bytes-only baseline).
    public var rate: Double
    /// Stream mode after the warm-up.
    public var mode: String
    /// Optimizer steps.
    public var steps: Int
    /// Total training FLOPs.
    public var flops: Double
    /// The curve of raw bits per byte against FLOPs.
    public var curve: [Point]
    /// The training run's directory (relative to the run directory).
    public var runDirectory: String
    /// Training throughput.
    public var tokensPerSecond: Double
    /// Sample standard deviation of `rawBitsPerByte` over seeds (nil for one seed).
    public var rawBitsPerByteSD: Double?
    /// 95% t-interval of the mean over seeds (nil for one seed).
    public var rawBitsPerByteCI95: ClosedInterval?
    /// The seeds trained.
    public var seeds: [UInt64]?
    /// How compressed symbols became tokens (`ids` or `bytes`), and why.
    public var compressedView: String?
    /// Why this view was chosen.
    public var compressedViewReason: String?
    /// Whether a run of this model got fewer than the minimum steps.
    public var undertrained: Bool?
    /// Why it is flagged, and what to try.
    public var undertrainedReason: String?
    /// Every run: one per seed and budget.
    public var runs: [RunRecord]?
    /// Per budget: the mean, spread and interval over seeds.
    public var sweep: [SweepPoint]?
    /// The power law through the budgets' means (null with one budget).
    public var fit: PowerLawFit?
    /// The seed-paired difference from the bytes-only model at the main budget.
    public var vsBaseline: DifferenceRecord?
    /// Where the fitted line crosses the bytes-only line (an extrapolation; null when it does not).
    public var crossoverFLOPs: CrossoverEstimate?
    /// Per perturbation (robust stage): how much the edit hurt the model at the main budget.
    public var robustness: [String: RobustnessRecord]?

    /// One training run of this model.
    public struct RunRecord: Sendable, Codable, Equatable {
        /// Its seed.
        public var seed: UInt64
        /// Its FLOPs budget.
        public var budgetFLOPs: Double
        /// Optimizer steps the budget allowed.
        public var steps: Int
        /// Raw bits per byte of the trained model.
        public var rawBitsPerByte: Double
        /// Its directory, relative to the comparison's run directory.
        public var runDirectory: String

        /// Creates a record.
        public init(seed: UInt64, budgetFLOPs: Double, steps: Int, rawBitsPerByte: Double, runDirectory: String) {
            self.seed = seed
            self.budgetFLOPs = budgetFLOPs
            self.steps = steps
            self.rawBitsPerByte = rawBitsPerByte
            self.runDirectory = runDirectory
        }

        enum CodingKeys: String, CodingKey {
            case seed, budgetFLOPs = "budget_flops", steps, rawBitsPerByte = "raw_bits_per_byte", runDirectory = "run_directory"
        }
    }

    /// One budget of a sweep, summarized over seeds.
    public struct SweepPoint: Sendable, Codable, Equatable {
        /// The budget.
        public var budgetFLOPs: Double
        /// Steps at this budget.
        public var steps: Int
        /// Mean raw bits per byte over seeds.
        public var mean: Double
        /// Sample standard deviation (nil for one seed).
        public var sd: Double?
        /// 95% t-interval of the mean (nil for one seed).
        public var ci95: ClosedInterval?

        /// Creates a point.
        public init(budgetFLOPs: Double, steps: Int, mean: Double, sd: Double?, ci95: ClosedInterval?) {
            self.budgetFLOPs = budgetFLOPs
            self.steps = steps
            self.mean = mean
            self.sd = sd
            self.ci95 = ci95
        }

        enum CodingKeys: String, CodingKey { case budgetFLOPs = "budget_flops", steps, mean, sd, ci95 }
    }

    /// A seed-paired difference (this model minus the baseline) with its interval.
    public struct DifferenceRecord: Sendable, Codable, Equatable {
        /// Mean difference in raw bits per byte (positive: worse than bytes only).
        public var difference: Double
        /// Sample standard deviation of the per-seed differences.
        public var sd: Double?
        /// 95% t-interval of the mean difference.
        public var ci95: ClosedInterval?
        /// Seeds paired.
        public var seeds: Int

        /// Creates a record.
        public init(difference: Double, sd: Double?, ci95: ClosedInterval?, seeds: Int) {
            self.difference = difference
            self.sd = sd
            self.ci95 = ci95
            self.seeds = seeds
        }

        /// Whether the interval contains zero: the difference is inside the seed-to-seed noise.
        public var insideNoise: Bool {
            guard let ci95 else { return true }
            return ci95.lower <= 0 && ci95.upper >= 0
        }
    }

    /// Creates a record.
    public init(
        rawBitsPerByte: Double, rate: Double, mode: String, steps: Int, flops: Double, curve: [Point], runDirectory: String,
        tokensPerSecond: Double
    ) {
        self.rawBitsPerByte = rawBitsPerByte
        self.rate = rate
        self.mode = mode
        self.steps = steps
        self.flops = flops
        self.curve = curve
        self.runDirectory = runDirectory
        self.tokensPerSecond = tokensPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case rawBitsPerByte = "raw_bits_per_byte", rate, mode, steps, flops, curve, runDirectory = "run_directory"
        case tokensPerSecond = "tokens_per_second", rawBitsPerByteSD = "raw_bits_per_byte_sd"
        case rawBitsPerByteCI95 = "raw_bits_per_byte_ci95", seeds, compressedView = "compressed_view"
        case compressedViewReason = "compressed_view_reason", undertrained, undertrainedReason = "undertrained_reason", runs
        case sweep, fit, vsBaseline = "vs_baseline", crossoverFLOPs = "crossover_flops", robustness
    }

    /// Encodes the record; with seeds and budgets (`runs`), the fields that can be undefined (the
    /// fit, the crossover, the interval) are written as `null` rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rawBitsPerByte, forKey: .rawBitsPerByte)
        try c.encode(rate, forKey: .rate)
        try c.encode(mode, forKey: .mode)
        try c.encode(steps, forKey: .steps)
        try c.encode(flops, forKey: .flops)
        try c.encode(curve, forKey: .curve)
        try c.encode(runDirectory, forKey: .runDirectory)
        try c.encode(tokensPerSecond, forKey: .tokensPerSecond)
        guard runs != nil else { return }
        try c.encode(rawBitsPerByteSD, forKey: .rawBitsPerByteSD)
        try c.encode(rawBitsPerByteCI95, forKey: .rawBitsPerByteCI95)
        try c.encodeIfPresent(seeds, forKey: .seeds)
        try c.encodeIfPresent(compressedView, forKey: .compressedView)
        try c.encodeIfPresent(compressedViewReason, forKey: .compressedViewReason)
        try c.encodeIfPresent(undertrained, forKey: .undertrained)
        try c.encode(undertrainedReason, forKey: .undertrainedReason)
        try c.encodeIfPresent(runs, forKey: .runs)
        try c.encodeIfPresent(sweep, forKey: .sweep)
        try c.encode(fit, forKey: .fit)
        try c.encode(vsBaseline, forKey: .vsBaseline)
        try c.encode(crossoverFLOPs, forKey: .crossoverFLOPs)
        try c.encodeIfPresent(robustness, forKey: .robustness)
    }
}
