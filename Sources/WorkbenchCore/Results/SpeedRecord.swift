/// Throughput over the measured split, one thread, median of several passes.
public struct SpeedRecord: Sendable, Codable, Equatable {
    /// Timed passes over the whole split.
    public var passes: Int
    /// Raw megabytes (10^6 bytes) encoded per second, median pass.
    public var encodeMBPerSecond: Double
    /// Raw megabytes produced per second when decoding, median pass.
    public var decodeMBPerSecond: Double
    /// Wall seconds of each encode pass.
    public var encodeSeconds: [Double]
    /// Wall seconds of each decode pass.
    public var decodeSeconds: [Double]

    /// Creates a record from pass timings.
    public init(rawBytes: Int, encodeSeconds: [Double], decodeSeconds: [Double]) {
        self.passes = encodeSeconds.count
        self.encodeSeconds = encodeSeconds
        self.decodeSeconds = decodeSeconds
        self.encodeMBPerSecond = SpeedRecord.throughput(rawBytes, encodeSeconds)
        self.decodeMBPerSecond = SpeedRecord.throughput(rawBytes, decodeSeconds)
    }

    private static func throughput(_ bytes: Int, _ seconds: [Double]) -> Double {
        let median = seconds.median
        return median > 0 ? Double(bytes) / 1e6 / median : 0
    }

    enum CodingKeys: String, CodingKey {
        case passes, encodeMBPerSecond = "encode_mb_per_s", decodeMBPerSecond = "decode_mb_per_s"
        case encodeSeconds = "encode_seconds", decodeSeconds = "decode_seconds"
    }
}
