import Foundation

/// How a compressor uses its alphabet: how many values appear and how evenly.
///
/// Lester et al. (2024) explain why plain arithmetic-coded text is unlearnable by its near-uniform
/// symbols; `normalizedEntropy` close to 1 is that warning sign.
public struct SymbolUsage: Sendable, Codable, Equatable {
    /// The compressor's alphabet size.
    public var alphabetSize: Int
    /// Distinct symbol values that occur.
    public var valuesUsed: Int
    /// Total symbols.
    public var symbols: Int
    /// Unigram entropy of the symbols, bits per symbol.
    public var entropyBits: Double
    /// entropyBits / log2(alphabetSize): 1 means uniform over the whole alphabet.
    public var normalizedEntropy: Double?
    /// log2(alphabetSize) - entropyBits: the KL divergence from the uniform distribution, in bits.
    public var bitsFromUniform: Double

    /// Counts symbols of every encoding.
    public init(encodings: [[UInt32]], alphabetSize: Int) {
        var counts: [UInt32: Int] = [:]
        var total = 0
        for symbols in encodings {
            for symbol in symbols { counts[symbol, default: 0] += 1 }
            total += symbols.count
        }
        var entropy = 0.0
        for count in counts.values {
            let p = Double(count) / Double(total)
            entropy -= p * log2(p)
        }
        let maximum = log2(Double(alphabetSize))
        self.alphabetSize = alphabetSize
        self.valuesUsed = counts.count
        self.symbols = total
        self.entropyBits = entropy
        self.normalizedEntropy = maximum > 0 ? entropy / maximum : nil
        self.bitsFromUniform = maximum - entropy
    }

    enum CodingKeys: String, CodingKey {
        case alphabetSize = "alphabet_size", valuesUsed = "values_used", symbols, entropyBits = "entropy_bits"
        case normalizedEntropy = "normalized_entropy", bitsFromUniform = "bits_from_uniform"
    }
}
