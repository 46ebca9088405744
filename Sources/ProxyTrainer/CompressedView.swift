/// How a compressor's symbols become model tokens.
public enum CompressedView: String, Sendable, Codable, CaseIterable {
    /// One token per symbol: the compressed vocabulary is the alphabet (a 16-bit window alphabet
    /// gives 65,536 embedding and output rows).
    case ids
    /// A symbol of an alphabet wider than 256 becomes ceil(log2(alphabet) / 8) byte sub-tokens,
    /// big-endian, so the compressed vocabulary is 256 whatever the compressor: the reference
    /// code's own knob (its neural proxy stores each 16-bit window as two bytes). Alphabets of at
    /// most 256 symbols are the same in both views.
    case bytes
}
