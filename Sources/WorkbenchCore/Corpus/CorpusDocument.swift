/// One document of a corpus: its bytes, where it came from, and its split.
public struct CorpusDocument: Sendable {
    /// The document's UTF-8 (or arbitrary) bytes, exactly as compressors see them.
    public var bytes: [UInt8]
    /// Where it came from, for error messages and examples: `corpus.jsonl:12` or `src/a.py`.
    public var source: String
    /// The split it belongs to: the exact rule's, or its near-duplicate cluster's.
    public var split: CorpusSplit
    /// Its key (first 8 bytes of SHA-256): the exact rule reduces it, near-duplicate assignments
    /// look it up.
    public var key: UInt64

    /// Creates a document; its split is the exact rule's, or `assignment`'s override.
    public init(bytes: [UInt8], source: String, assignment: SplitAssignment? = nil) {
        self.bytes = bytes
        self.source = source
        key = CorpusSplit.key(of: bytes)
        split = assignment?.split(ofKey: key) ?? CorpusSplit.assign(key: key)
    }
}
