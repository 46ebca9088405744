/// What the train stage measured for one model: its raw-byte loss and its curve against compute.
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
        case tokensPerSecond = "tokens_per_second"
    }
}
