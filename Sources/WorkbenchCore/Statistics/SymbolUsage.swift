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
        var counter = Counter(alphabetSize: alphabetSize)
        for symbols in encodings { counter.add(symbols) }
        self = counter.usage
    }

    /// Counts symbols as encodings arrive, in memory bounded by the alphabet (not the corpus).
    public struct Counter: Sendable {
        /// Alphabets up to this size are counted in an array; larger ones (an external plugin may
        /// declare 2^32) in a dictionary of the values that occur.
        static let denseLimit = 1 << 20
        private let alphabetSize: Int
        private var dense: [Int]
        private var sparse: [UInt32: Int] = [:]
        private var total = 0

        /// Creates an empty counter.
        public init(alphabetSize: Int) {
            self.alphabetSize = alphabetSize
            dense = alphabetSize <= Self.denseLimit ? [Int](repeating: 0, count: max(0, alphabetSize)) : []
        }

        /// Counts one encoding's symbols (values at or above the alphabet size are counted too,
        /// though the rate stage refuses them first).
        public mutating func add(_ symbols: [UInt32]) {
            for symbol in symbols {
                if Int(symbol) < dense.count { dense[Int(symbol)] += 1 } else { sparse[symbol, default: 0] += 1 }
            }
            total += symbols.count
        }

        /// The statistics of everything counted. Probabilities are summed in symbol order, so the
        /// entropy is the same, to the last bit, on every run.
        public var usage: SymbolUsage {
            var entropy = 0.0
            var used = 0
            func account(_ count: Int) {
                guard count > 0 else { return }
                used += 1
                let p = Double(count) / Double(total)
                entropy -= p * log2(p)
            }
            for count in dense { account(count) }
            for symbol in sparse.keys.sorted() { account(sparse[symbol] ?? 0) }
            let maximum = log2(Double(alphabetSize))
            return SymbolUsage(
                alphabetSize: alphabetSize, valuesUsed: used, symbols: total, entropyBits: entropy,
                normalizedEntropy: maximum > 0 ? entropy / maximum : nil, bitsFromUniform: maximum - entropy)
        }
    }

    private init(
        alphabetSize: Int, valuesUsed: Int, symbols: Int, entropyBits: Double, normalizedEntropy: Double?,
        bitsFromUniform: Double
    ) {
        self.alphabetSize = alphabetSize
        self.valuesUsed = valuesUsed
        self.symbols = symbols
        self.entropyBits = entropyBits
        self.normalizedEntropy = normalizedEntropy
        self.bitsFromUniform = bitsFromUniform
    }

    enum CodingKeys: String, CodingKey {
        case alphabetSize = "alphabet_size", valuesUsed = "values_used", symbols, entropyBits = "entropy_bits"
        case normalizedEntropy = "normalized_entropy", bitsFromUniform = "bits_from_uniform"
    }
}
