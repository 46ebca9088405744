/// Which stages a comparison ran and how the statistics were sampled.
public struct StagesRecord: Sendable, Codable, Equatable {
    /// Stage names in the order they ran.
    public var ran: [String]
    /// Seed of the stability sample and perturbations.
    public var stabilitySeed: UInt64?
    /// Documents in the stability sample.
    public var stabilityDocuments: Int?
    /// Each sampled document is cut to this many bytes.
    public var stabilityMaxBytes: Int?
    /// Perturbation name -> what it does.
    public var perturbations: [String: String]?

    /// Creates a record.
    public init(ran: [String], stabilitySeed: UInt64? = nil, stabilityDocuments: Int? = nil, stabilityMaxBytes: Int? = nil) {
        self.ran = ran
        self.stabilitySeed = stabilitySeed
        self.stabilityDocuments = stabilityDocuments
        self.stabilityMaxBytes = stabilityMaxBytes
        self.perturbations =
            stabilitySeed == nil ? nil : Dictionary(uniqueKeysWithValues: Perturbation.allCases.map { ($0.rawValue, $0.summary) })
    }

    enum CodingKeys: String, CodingKey {
        case ran, stabilitySeed = "stability_seed", stabilityDocuments = "stability_documents"
        case stabilityMaxBytes = "stability_max_bytes", perturbations
    }
}
