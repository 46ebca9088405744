/// How a stream is coded: everything an encoder and its decoder must agree on besides the model.
struct ACCodingSettings: Sendable, Equatable {
    /// Where M1's context is reset.
    enum ContextPolicy: String, Sendable {
        /// At every window (Lester et al.: essential for learnability).
        case window
        /// Only at segment starts: windows of a segment share M1's context.
        case segment
    }

    /// Where documents are cut into independently coded segments.
    enum Segmentation: Sendable, Equatable {
        /// One segment per document.
        case none
        /// Cut before byte i when M1's next-byte entropy there is at least `maxBits`, or at least
        /// `jumpRatio` times the entropy before it (and at least 1 bit); segments are at least
        /// `minimumBytes` long.
        case entropy(maxBits: Double, jumpRatio: Double, minimumBytes: Int)
    }

    /// Window size in bits; 0 for plain AC over the whole document.
    var windowBits: Int
    /// Frequency precision in bits.
    var precision: Int
    var context: ContextPolicy
    var segmentation: Segmentation
    /// Pass segment tails through as raw bytes (symbols 0..255; windows become 256 + v).
    var rawTails: Bool

    /// Symbols the stream can hold.
    var alphabetSize: Int {
        if windowBits == 0 { return 256 }
        return (rawTails ? 256 : 0) + (1 << windowBits)
    }

    /// Equal-info windows use odd frequencies (see `FrequencyTable`).
    var oddFrequencies: Bool { windowBits > 0 }
}
