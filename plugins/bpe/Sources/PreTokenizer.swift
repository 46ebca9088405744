/// How a document is cut into words before BPE: merges never cross a word boundary.
///
/// Every kind is lossless: the words tile the document exactly, so concatenating the tokens of
/// every word gives the document back.
public enum PreTokenizer: String, Sendable, CaseIterable, Codable {
    /// No split: the whole document is one word (pure BPE).
    case none
    /// GPT-2's ByteLevel pattern, exactly as HuggingFace's `ByteLevel(use_regex=true)` applies it:
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// The cl100k pattern (GPT-4, tiktoken):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    case gpt4
    /// Runs of word characters, of other visible characters, and of whitespace:
    /// `\w+|[^\w\s]+|\s+`. HuggingFace's `Whitespace` drops the whitespace (lossy); this keeps it.
    case whitespace

    /// The regular expression this kind implements, as a HuggingFace `Split` pattern.
    public var pattern: String? {
        switch self {
        case .none: return nil
        case .gpt2: return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .gpt4: return Self.cl100kPattern
        case .whitespace: return #"\w+|[^\w\s]+|\s+"#
        }
    }

    /// cl100k_base's pattern as tiktoken 0.4 and most tokenizer.json files spell it.
    public static let cl100kPattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Spellings of the cl100k pattern that match identically: the classic one (Llama 3's
    /// tokenizer.json uses it) and tiktoken's current one with possessive quantifiers.
    public static let cl100kPatternVariants: [String] = [
        cl100kPattern,
        #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#,
    ]

    /// Spellings of the GPT-2 pattern that match identically (HuggingFace's and tiktoken's r50k).
    public static let gpt2PatternVariants: [String] = [
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#,
        #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#,
    ]

    /// The end of the word that starts at `start` (start < bytes.count).
    /// - Complexity: O(length of the word), plus one scalar of look-ahead.
    @inlinable
    func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ ascii: UnsafeBufferPointer<ScalarClass>) -> Int {
        switch self {
        case .none: return bytes.count
        case .gpt2: return GPT2Split.wordEnd(bytes, start, ascii)
        case .gpt4: return CL100kSplit.wordEnd(bytes, start, ascii)
        case .whitespace: return WhitespaceSplit.wordEnd(bytes, start, ascii)
        }
    }

    /// Calls `body` with the byte range of every word, in order.
    public func forEachWord(in document: [UInt8], _ body: (Range<Int>) -> Void) {
        document.withUnsafeBufferPointer { bytes in
            ScalarReader.asciiClass.withUnsafeBufferPointer { ascii in
                var start = 0
                while start < bytes.count {
                    let end = wordEnd(bytes, start, ascii)
                    body(start..<end)
                    start = end
                }
            }
        }
    }

    /// The words of a document as byte ranges (tests and tools; hot paths use `wordEnd`).
    public func words(in document: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        forEachWord(in: document) { ranges.append($0) }
        return ranges
    }
}
