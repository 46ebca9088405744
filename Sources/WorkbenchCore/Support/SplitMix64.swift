/// A small, fast, seeded random generator (SplitMix64, Steele et al. 2014) whose whole state is
/// one integer, so it is trivially checkpointed and every seeded draw is reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The generator state; saving it and restoring it resumes the exact sequence.
    public var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed derived from text, stable across processes and platforms (unlike `hashValue`).
    public static func seed(from text: String) -> UInt64 {
        SHA256.digest(Array(text.utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
