/// How much one perturbation hurt a trained model: raw bits per byte on the perturbed copies of
/// the evaluation documents minus on the same documents clean (positive: the model did worse),
/// over seeds, and compared with the bytes-only model's change.
public struct RobustnessRecord: Sendable, Codable, Equatable {
    /// Mean change over seeds, in raw bits per byte.
    public var delta: Double
    /// 95% t-interval of the mean change (nil for one seed).
    public var ci95: ClosedInterval?
    /// Seed-paired difference of this model's change from the bytes-only model's (positive: hurt
    /// more than bytes only); nil for the baseline itself.
    public var vsBytes: Double?
    /// 95% interval of `vsBytes`.
    public var vsBytesCI95: ClosedInterval?
    /// Per seed: the change.
    public var deltas: [Double]

    /// Creates a record.
    public init(delta: Double, ci95: ClosedInterval?, vsBytes: Double?, vsBytesCI95: ClosedInterval?, deltas: [Double]) {
        self.delta = delta
        self.ci95 = ci95
        self.vsBytes = vsBytes
        self.vsBytesCI95 = vsBytesCI95
        self.deltas = deltas
    }

    enum CodingKeys: String, CodingKey {
        case delta, ci95, vsBytes = "vs_bytes", vsBytesCI95 = "vs_bytes_ci95", deltas
    }
}
