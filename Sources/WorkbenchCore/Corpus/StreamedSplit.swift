/// One split of a streamed corpus as a `DocumentSource`: every pass reads the corpus again from
/// disk and keeps only the split's documents, one at a time.
public struct StreamedSplit: DocumentSource, Sendable {
    /// The corpus read.
    public let stream: CorpusStream
    /// The split kept.
    public let split: CorpusSplit
    /// Documents of the split (counted by `init`'s pass).
    public let documentCount: Int
    /// Their bytes in all.
    public let byteCount: Int

    /// Opens a split, reading the corpus once to count its documents and bytes.
    /// - Throws: `WorkbenchError` for an unreadable corpus or (unless skipping) a bad JSONL line.
    public init(_ stream: CorpusStream, split: CorpusSplit) throws {
        let (counts, _) = try SplitCounts.count(stream, measured: split)
        self.stream = stream
        self.split = split
        documentCount = counts.measuredDocuments
        byteCount = counts.measuredBytes
    }

    /// Calls `body` with every document of the split, in corpus order.
    /// - Throws: `WorkbenchError` for an unreadable corpus or a bad line, or what `body` throws.
    public func forEachDocument(_ body: (CorpusDocument) throws -> Void) throws {
        try stream.forEachDocument(split: split, body)
    }
}
