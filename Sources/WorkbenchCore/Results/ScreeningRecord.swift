/// How well one cheap statistic ranks the compressors the way their proxy's gap to bytes only
/// does: Spearman's rho over the trained compressors, with its interval and p-value.
public struct ScreeningRecord: Sendable, Codable, Equatable {
    /// The statistic, named as in results.json (`bytes_per_symbol`, `stability_insert_space`...).
    public var statistic: String
    /// The correlation.
    public var correlation: RankCorrelation
    /// Per compressor: its spec, the statistic and the gap (for the report's scatter plot).
    public var points: [Point]

    /// One compressor's pair.
    public struct Point: Sendable, Codable, Equatable {
        /// The compressor's spec.
        public var spec: String
        /// Its value of the statistic.
        public var statistic: Double
        /// Its proxy's seed-paired gap to bytes only (raw bits per byte), and the gap's interval.
        public var gap: Double
        /// The gap's 95% interval.
        public var gapCI95: ClosedInterval?

        /// Creates a point.
        public init(spec: String, statistic: Double, gap: Double, gapCI95: ClosedInterval?) {
            self.spec = spec
            self.statistic = statistic
            self.gap = gap
            self.gapCI95 = gapCI95
        }

        enum CodingKeys: String, CodingKey { case spec, statistic, gap, gapCI95 = "gap_ci95" }
    }

    /// Creates a record.
    public init(statistic: String, correlation: RankCorrelation, points: [Point]) {
        self.statistic = statistic
        self.correlation = correlation
        self.points = points
    }

    /// Flat keys: `statistic`, `spearman`, `ci95`, `p_value`, `exact`, `n`, `points`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        statistic = try container.decode(String.self, forKey: .statistic)
        points = try container.decode([Point].self, forKey: .points)
        correlation = try RankCorrelation(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(statistic, forKey: .statistic)
        try container.encode(points, forKey: .points)
        try correlation.encode(to: encoder)
    }

    enum CodingKeys: String, CodingKey { case statistic, points }
}
