/// One document of a corpus: its bytes, where it came from, and its split.
public struct CorpusDocument: Sendable {
    /// The document's UTF-8 (or arbitrary) bytes, exactly as compressors see them.
    public var bytes: [UInt8]
    /// Where it came from, for error messages and examples: `corpus.jsonl:12` or `src/a.py`.
    public var source: String
    /// The split the hash rule assigns it to.
    public var split: CorpusSplit

    /// Creates a document; its split is computed from its bytes.
    public init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
        self.split = CorpusSplit.assign(bytes)
    }
}
