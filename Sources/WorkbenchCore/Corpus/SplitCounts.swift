/// Documents and bytes per split of a corpus, counted one document at a time.
public struct SplitCounts: Sendable, Equatable {
    /// Documents in the corpus (after skipped lines).
    public var allDocuments = 0
    /// Documents in the train split.
    public var trainDocuments = 0
    /// Documents in the measured split.
    public var measuredDocuments = 0
    /// Bytes in the measured split.
    public var measuredBytes = 0

    /// Empty counts.
    public init() {}

    /// Counts one document, which belongs to the measured split when `measured` contains its split.
    public mutating func add(_ document: CorpusDocument, measured: CorpusSplit) {
        add(split: document.split, bytes: document.bytes.count, measured: measured)
    }

    /// Counts one document of `split` and `bytes` bytes.
    public mutating func add(split: CorpusSplit, bytes: Int, measured: CorpusSplit) {
        allDocuments += 1
        if split == .train { trainDocuments += 1 }
        if measured.contains(split) {
            measuredDocuments += 1
            measuredBytes += bytes
        }
    }

    /// Counts `stream`'s documents, those of `measured` apart, in one pass that keeps no document.
    /// - Returns: the counts and the JSONL lines skipped with `skipBadLines` (`file:line: reason`).
    /// - Throws: `WorkbenchError` for an unreadable corpus or (unless skipping) a bad JSONL line.
    public static func count(_ stream: CorpusStream, measured: CorpusSplit) throws -> (SplitCounts, [String]) {
        var counts = SplitCounts()
        let skipped = try stream.forEachDocument(split: .all) { counts.add($0, measured: measured) }
        return (counts, skipped)
    }

    /// Counts `stream`'s documents and fingerprints it in the same pass.
    /// - Throws: `WorkbenchError` for an unreadable corpus, a bad JSONL line (unless skipping) or a
    ///   corpus without documents.
    public static func survey(
        _ stream: CorpusStream, measured: CorpusSplit
    ) throws(WorkbenchError) -> (
        SplitCounts, CorpusStream.Survey
    ) {
        var counts = SplitCounts()
        let survey = try stream.survey { counts.add($0, measured: measured) }
        return (counts, survey)
    }
}
