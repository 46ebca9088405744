/// One compressor's row.
public struct CompressorResult: Sendable, Codable, Equatable {
    /// Whether every stage of this row completed.
    public enum Status: String, Sendable, Codable { case ok, failed }

    /// The CLI id.
    public var id: String
    /// The canonical spec with resolved options.
    public var spec: CompressorSpec
    /// The descriptor, when the compressor could be built.
    public var descriptor: CompressorDescriptor?
    /// ok, or failed with `error`.
    public var status: Status
    /// Why it failed, as the user should read it.
    public var error: String?
    /// Compression rate, when encoding completed.
    public var rate: RateRecord?
    /// Round-trip verification.
    public var roundTrip: RoundTripRecord?
    /// Encode and decode throughput.
    public var speed: SpeedRecord?
    /// How the alphabet is used (stats stage).
    public var symbolUsage: SymbolUsage?
    /// Whether symbol values stand for one raw string each (stats stage; compressors with spans).
    public var collisions: CollisionStatistics?
    /// Normalized edit distance under each perturbation (stats stage), keyed by perturbation name.
    public var stability: [String: Stability.Summary]?
    /// The proxy model trained with this compressor's view (train stage).
    public var proxy: ProxyRecord?

    /// Creates a row.
    public init(
        id: String, spec: CompressorSpec, descriptor: CompressorDescriptor?, status: Status, error: String? = nil,
        rate: RateRecord? = nil, roundTrip: RoundTripRecord? = nil, speed: SpeedRecord? = nil
    ) {
        self.id = id
        self.spec = spec
        self.descriptor = descriptor
        self.status = status
        self.error = error
        self.rate = rate
        self.roundTrip = roundTrip
        self.speed = speed
    }

    enum CodingKeys: String, CodingKey {
        case id, spec, descriptor, status, error, rate, roundTrip = "round_trip", speed
        case symbolUsage = "symbol_usage", collisions, stability, proxy
    }
}
