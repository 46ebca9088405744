/// Documents and bytes per split of a streamed corpus, from one pass that keeps no document.
public struct SplitCounts: Sendable, Equatable {
    /// Documents in the corpus (after skipped lines).
    public var allDocuments = 0
    /// Documents in the train split.
    public var trainDocuments = 0
    /// Documents in the measured split.
    public var measuredDocuments = 0
    /// Bytes in the measured split.
    public var measuredBytes = 0

    /// Counts `stream`'s documents, those of `measured` apart.
    /// - Returns: the counts and the JSONL lines skipped with `skipBadLines` (`file:line: reason`).
    /// - Throws: `WorkbenchError` for an unreadable corpus or (unless skipping) a bad JSONL line.
    public static func count(_ stream: CorpusStream, measured: CorpusSplit) throws -> (SplitCounts, [String]) {
        var counts = SplitCounts()
        let skipped = try stream.forEachDocument(split: .all) { document in
            counts.allDocuments += 1
            if document.split == .train { counts.trainDocuments += 1 }
            if measured.contains(document.split) {
                counts.measuredDocuments += 1
                counts.measuredBytes += document.bytes.count
            }
        }
        return (counts, skipped)
    }
}
