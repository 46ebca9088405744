/// Whether one symbol value always stands for the same raw string ("Proxy Compression for Language Modeling": neural windows do
/// not; BPE tokens do).
///
/// Only single-symbol spans count: a span of several symbols (sub-byte regroupings) says which
/// bytes the run covers, not what each symbol means.
public struct CollisionStatistics: Sendable, Codable, Equatable {
    /// One symbol value and the distinct raw strings behind it.
    public struct Group: Sendable, Codable, Equatable {
        /// The symbol value.
        public var symbol: UInt32
        /// How many distinct raw strings it stood for.
        public var distinctStrings: Int
        /// How often it occurred.
        public var occurrences: Int
        /// Longest common prefix of its strings, in bytes.
        public var commonPrefixBytes: Int
        /// commonPrefixBytes / mean string length.
        public var commonPrefixShare: Double
        /// Up to `exampleStrings` of its strings, most frequent first (raw bytes).
        public var strings: [[UInt8]]

        enum CodingKeys: String, CodingKey {
            case symbol, distinctStrings = "distinct_strings", occurrences
            case commonPrefixBytes = "common_prefix_bytes", commonPrefixShare = "common_prefix_share", strings
        }
    }

    /// Symbol values seen in single-symbol spans.
    public var valuesSeen: Int
    /// Values that stood for two or more distinct strings.
    public var collidingValues: Int
    /// collidingValues / valuesSeen.
    public var collidingValueShare: Double
    /// Share of symbol occurrences whose value is colliding.
    public var collidingOccurrenceShare: Double
    /// How many values stood for 1, 2, 3-4, 5-8, 9-16, 17+ strings (`histogramBuckets`).
    public var stringsPerValueHistogram: [Int]
    /// Mean common-prefix bytes over colliding values (nil when none collide).
    public var meanCommonPrefixBytes: Double?
    /// Mean common-prefix share over colliding values.
    public var meanCommonPrefixShare: Double?
    /// The four groups the paper shows: most strings, fewest (among colliding), highest and lowest
    /// common-prefix share. Empty when nothing collides.
    public var examples: [String: Group]
    /// Spans of several symbols, not counted.
    public var multiSymbolSpansSkipped: Int

    /// Labels of `stringsPerValueHistogram`.
    public static let histogramBuckets = ["1", "2", "3-4", "5-8", "9-16", "17+"]

    enum CodingKeys: String, CodingKey {
        case valuesSeen = "values_seen", collidingValues = "colliding_values"
        case collidingValueShare = "colliding_value_share", collidingOccurrenceShare = "colliding_occurrence_share"
        case stringsPerValueHistogram = "strings_per_value_histogram", meanCommonPrefixBytes = "mean_common_prefix_bytes"
        case meanCommonPrefixShare = "mean_common_prefix_share", examples
        case multiSymbolSpansSkipped = "multi_symbol_spans_skipped"
    }

    /// Computes collision statistics from documents and their encodings (spans required).
    /// - Parameter exampleStrings: strings kept per example group.
    public init(documents: [[UInt8]], encodings: [EncodedDocument], exampleStrings: Int = 6) {
        var counter = Counter()
        for (document, encoded) in zip(documents, encodings) { counter.add(document, encoded) }
        self = counter.statistics(exampleStrings: exampleStrings)
    }

    /// Collects the strings behind each symbol as documents arrive, so statistics over a streamed
    /// corpus need no list of its encodings.
    ///
    /// Memory grows with the distinct (symbol, string) pairs, not with the corpus: a tokenizer
    /// has one string per token (its vocabulary bounds the table), while equal-info windows give
    /// new strings as long as new text arrives.
    public struct Counter: Sendable {
        private var strings: [UInt32: [[UInt8]: Int]] = [:]
        private var occurrences: [UInt32: Int] = [:]
        private var skipped = 0

        /// Creates an empty counter.
        public init() {}

        /// Adds one document and its encoding (one without spans adds nothing).
        public mutating func add(_ document: [UInt8], _ encoded: EncodedDocument) {
            guard let spans = encoded.spans else { return }
            for span in spans {
                guard span.symbols.count == 1, span.bytes.upperBound <= document.count else {
                    skipped += 1
                    continue
                }
                let symbol = encoded.symbols[span.symbols.lowerBound]
                strings[symbol, default: [:]][Array(document[span.bytes]), default: 0] += 1
                occurrences[symbol, default: 0] += 1
            }
        }

        /// The statistics of everything added.
        /// - Parameter exampleStrings: strings kept per example group.
        public func statistics(exampleStrings: Int = 6) -> CollisionStatistics {
            CollisionStatistics(strings: strings, occurrences: occurrences, skipped: skipped, exampleStrings: exampleStrings)
        }
    }

    private init(strings: [UInt32: [[UInt8]: Int]], occurrences: [UInt32: Int], skipped: Int, exampleStrings: Int) {
        var histogram = [Int](repeating: 0, count: 6)
        var groups: [Group] = []
        var collidingOccurrences = 0
        let totalOccurrences = occurrences.values.reduce(0, +)
        for (symbol, table) in strings {
            let distinct = table.count
            histogram[CollisionStatistics.bucket(distinct)] += 1
            guard distinct >= 2 else { continue }
            collidingOccurrences += occurrences[symbol] ?? 0
            let keys = Array(table.keys)
            let prefix = CollisionStatistics.commonPrefix(keys)
            let meanLength = Double(keys.reduce(0) { $0 + $1.count }) / Double(keys.count)
            // Most frequent first, then by bytes, so examples are deterministic.
            let ordered = table.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) }
            groups.append(
                Group(
                    symbol: symbol, distinctStrings: distinct, occurrences: occurrences[symbol] ?? 0,
                    commonPrefixBytes: prefix, commonPrefixShare: meanLength > 0 ? Double(prefix) / meanLength : 0,
                    strings: ordered.prefix(exampleStrings).map(\.key)))
        }
        groups.sort { $0.symbol < $1.symbol }
        valuesSeen = strings.count
        collidingValues = groups.count
        collidingValueShare = valuesSeen > 0 ? Double(groups.count) / Double(valuesSeen) : 0
        collidingOccurrenceShare = totalOccurrences > 0 ? Double(collidingOccurrences) / Double(totalOccurrences) : 0
        stringsPerValueHistogram = histogram
        meanCommonPrefixBytes =
            groups.isEmpty ? nil : Double(groups.reduce(0) { $0 + $1.commonPrefixBytes }) / Double(groups.count)
        meanCommonPrefixShare = groups.isEmpty ? nil : groups.reduce(0) { $0 + $1.commonPrefixShare } / Double(groups.count)
        multiSymbolSpansSkipped = skipped
        var examples: [String: Group] = [:]
        if !groups.isEmpty {
            // Ties go to the smaller symbol value (groups are sorted by symbol; max/min keep the first).
            examples["largest"] = groups.max {
                $0.distinctStrings < $1.distinctStrings || ($0.distinctStrings == $1.distinctStrings && $0.symbol > $1.symbol)
            }
            examples["smallest"] = groups.min {
                $0.distinctStrings < $1.distinctStrings || ($0.distinctStrings == $1.distinctStrings && $0.symbol < $1.symbol)
            }
            examples["highest_common_prefix"] = groups.max {
                $0.commonPrefixShare < $1.commonPrefixShare
                    || ($0.commonPrefixShare == $1.commonPrefixShare && $0.symbol > $1.symbol)
            }
            examples["lowest_common_prefix"] = groups.min {
                $0.commonPrefixShare < $1.commonPrefixShare
                    || ($0.commonPrefixShare == $1.commonPrefixShare && $0.symbol < $1.symbol)
            }
        }
        self.examples = examples
    }

    static func bucket(_ distinct: Int) -> Int {
        switch distinct {
        case ...1: return 0
        case 2: return 1
        case 3...4: return 2
        case 5...8: return 3
        case 9...16: return 4
        default: return 5
        }
    }

    /// Length of the longest prefix all strings share.
    static func commonPrefix(_ strings: [[UInt8]]) -> Int {
        guard var length = strings.first?.count else { return 0 }
        for other in strings.dropFirst() {
            length = min(length, other.count)
            var index = 0
            while index < length && other[index] == strings[0][index] { index += 1 }
            length = index
        }
        return length
    }
}
