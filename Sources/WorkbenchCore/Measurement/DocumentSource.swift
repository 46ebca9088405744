/// Documents a measurement reads in order, one at a time, as often as it needs (one pass per
/// timed pass), without holding them all.
///
/// An array is one (for tests and small inputs); `StreamedSplit` reads a corpus split from disk
/// on every pass, so memory is bounded by the longest document, not by the corpus.
public protocol DocumentSource {
    /// How many documents a pass yields (for progress).
    var documentCount: Int { get }

    /// Calls `body` with every document, in the same order on every call.
    /// - Throws: what reading the documents raised (a `WorkbenchError` for a bad file), or what
    ///   `body` throws.
    func forEachDocument(_ body: (CorpusDocument) throws -> Void) throws
}

extension Array: DocumentSource where Element == CorpusDocument {
    /// The number of documents.
    public var documentCount: Int { count }

    /// Calls `body` with each element.
    public func forEachDocument(_ body: (CorpusDocument) throws -> Void) throws {
        for document in self { try body(document) }
    }
}
