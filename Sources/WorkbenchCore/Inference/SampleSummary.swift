/// The mean of a few measurements (one per seed) with its spread and a 95% confidence interval.
///
/// The interval is Student's t: mean +- t(0.975, n - 1) * sd / sqrt(n), which assumes the seeds'
/// results are independent draws from a normal distribution. With 2 seeds t = 12.71, so the
/// interval is wide; with 3, 4.30; with 5, 2.78.
public struct SampleSummary: Sendable, Equatable, Codable {
    /// How many values.
    public var count: Int
    /// Their mean.
    public var mean: Double
    /// Sample standard deviation (n - 1 in the denominator); nil for one value.
    public var standardDeviation: Double?
    /// The 95% t-interval of the mean; nil for one value.
    public var confidenceInterval95: ClosedInterval?

    /// Summarizes `values` (at least one, all finite).
    public init?(_ values: [Double]) {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return }
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let sd = (squares / Double(values.count - 1)).squareRoot()
        standardDeviation = sd
        let half = StudentT.quantile(0.975, degreesOfFreedom: Double(values.count - 1)) * sd / Double(values.count).squareRoot()
        confidenceInterval95 = ClosedInterval(lower: mean - half, upper: mean + half)
    }

    /// Whether the interval contains zero (for a difference: no detectable effect at 95%).
    public var intervalContainsZero: Bool {
        guard let interval = confidenceInterval95 else { return true }
        return interval.lower <= 0 && interval.upper >= 0
    }

    enum CodingKeys: String, CodingKey {
        case count, mean, standardDeviation = "sd", confidenceInterval95 = "ci95"
    }
}

/// A closed interval [lower, upper], coded as a two-element array.
public struct ClosedInterval: Sendable, Equatable, Codable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double

    /// Creates an interval.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Decodes `[lower, upper]`.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        lower = try container.decode(Double.self)
        upper = try container.decode(Double.self)
    }

    /// Encodes `[lower, upper]`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(lower)
        try container.encode(upper)
    }
}
