/// What a shard (or a whole run) processed; shard counts add up to the unsharded run's.
public struct ShardCounts: Sendable, Codable, Equatable {
    /// Documents written.
    public var documents: Int = 0
    /// Raw bytes of those documents.
    public var rawBytes: Int = 0
    /// Compressor symbols they encoded to.
    public var symbols: Int = 0
    /// Items written to the main output: token ids for token-array, lines for JSON Lines.
    public var items: Int = 0
    /// JSONL lines skipped with `--skip-bad-lines`.
    public var skippedLines: Int = 0

    /// Zero counts.
    public init() {}

    /// Creates counts.
    public init(documents: Int, rawBytes: Int, symbols: Int, items: Int, skippedLines: Int) {
        self.documents = documents
        self.rawBytes = rawBytes
        self.symbols = symbols
        self.items = items
        self.skippedLines = skippedLines
    }

    /// The sum of two shards' counts.
    public static func + (a: ShardCounts, b: ShardCounts) -> ShardCounts {
        ShardCounts(
            documents: a.documents + b.documents, rawBytes: a.rawBytes + b.rawBytes, symbols: a.symbols + b.symbols,
            items: a.items + b.items, skippedLines: a.skippedLines + b.skippedLines)
    }
}
