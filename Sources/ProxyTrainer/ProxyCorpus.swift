import Foundation
import WorkbenchCore

/// The training split of a run in both views, compressed lazily and once.
///
/// A document is compressed the first time the stream reaches it, together with the next
/// `prefetch` documents of the stream's order (in parallel, on every core), and kept for the rest
/// of the run. A run that consumes a fraction of the corpus at its budget (a quick run with a
/// slow compressor such as `ac`) pays only for what it reads. Compression is a pure function of
/// the document, so when it happens does not change the stream: a resumed run recompresses what
/// it needs and sees the same tokens.
public final class ProxyCorpus: ProxyDocumentSource, @unchecked Sendable {
    /// Raw documents of the training split.
    public let documents: [[UInt8]]
    /// Documents compressed together when the stream reaches one that is not compressed yet.
    public static let prefetch = 32
    private let compressor: (any Compressor)?
    private let vocabulary: ProxyVocabulary
    private var compressed: [[Int32]?]
    private let lock = NSLock()

    /// A corpus whose compressed view comes from `compressor` (nil: the run never compresses).
    public init(documents: [[UInt8]], compressor: (any Compressor)?, vocabulary: ProxyVocabulary) {
        self.documents = documents
        self.compressor = compressor
        self.vocabulary = vocabulary
        self.compressed = Array(repeating: nil, count: documents.count)
    }

    /// Number of documents.
    public var count: Int { documents.count }

    /// Documents compressed so far in this process.
    public var compressedCount: Int { lock.withLock { compressed.reduce(0) { $0 + ($1 == nil ? 0 : 1) } } }

    /// The document in both views (the compressed view empty when the run never compresses).
    /// - Throws: `CodecError` from the compressor, naming the document index.
    public func document(at index: Int, upcoming: ArraySlice<Int>) throws -> ProxyDocument {
        let raw = documents[index].map(ProxyVocabulary.byteID)
        guard compressor != nil else { return ProxyDocument(raw: raw, compressed: []) }
        if let symbols = lock.withLock({ compressed[index] }) { return ProxyDocument(raw: raw, compressed: symbols) }
        try compress([index] + upcoming.prefix(Self.prefetch))
        return ProxyDocument(raw: raw, compressed: lock.withLock { compressed[index] } ?? [])
    }

    /// Compresses the documents of `indices` not compressed yet, in parallel.
    private func compress(_ indices: [Int]) throws {
        guard let compressor else { return }
        let missing = lock.withLock { indices.filter { compressed[$0] == nil } }
        var failures: [Int: CodecError] = [:]
        let failureLock = NSLock()
        DispatchQueue.concurrentPerform(iterations: missing.count) { position in
            let index = missing[position]
            do {
                let ids = vocabulary.ids(ofSymbols: try compressor.encode(documents[index]).symbols)
                lock.withLock { compressed[index] = ids }
            } catch {
                let codecError = error as? CodecError ?? CodecError(.libraryFailure, compressor: compressor.id, "\(error)")
                failureLock.withLock {
                    failures[index] = CodecError(
                        codecError.kind, compressor: codecError.compressor, "training document \(index): \(codecError.message)")
                }
            }
        }
        if let first = failures.keys.min(), let failure = failures[first] { throw failure }
    }
}
