import Foundation
import WorkbenchCore

/// One training document in both views, as token ids, compressed once per run.
public struct ProxyDocument: Sendable, Equatable {
    /// Raw-byte ids (64 + b).
    public var raw: [Int32]
    /// Compressed-symbol ids (ProxyVocabulary.id(ofSymbol:)), empty when the run never compresses.
    public var compressed: [Int32]

    /// Creates a document from token ids.
    public init(raw: [Int32], compressed: [Int32]) {
        self.raw = raw
        self.compressed = compressed
    }
}

/// Compresses a corpus once for a run, on every core.
public enum ProxyCorpus {
    /// Tokenizes `documents` in both views. Encoding runs in parallel over documents; the result
    /// keeps document order, so it does not depend on the thread count.
    /// - Throws: the first `CodecError` any document raised, naming the document index.
    public static func build(
        documents: [[UInt8]], compressor: (any Compressor)?, vocabulary: ProxyVocabulary,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> [ProxyDocument] {
        let results = ResultTable(count: documents.count)
        DispatchQueue.concurrentPerform(iterations: documents.count) { index in
            let bytes = documents[index]
            let raw = bytes.map(ProxyVocabulary.byteID)
            guard let compressor else {
                results.store(index, .success(ProxyDocument(raw: raw, compressed: [])))
                return
            }
            do {
                let symbols = try compressor.encode(bytes).symbols
                results.store(index, .success(ProxyDocument(raw: raw, compressed: symbols.map(vocabulary.id(ofSymbol:)))))
            } catch let error as CodecError {
                results.store(index, .failure(CodecError(error.kind, compressor: error.compressor, "document \(index): \(error.message)")))
            } catch {
                results.store(index, .failure(CodecError(.libraryFailure, compressor: compressor.id, "document \(index): \(error)")))
            }
            progress(index)
        }
        return try results.values()
    }

    private final class ResultTable: @unchecked Sendable {
        private var slots: [Result<ProxyDocument, CodecError>?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func store(_ index: Int, _ value: Result<ProxyDocument, CodecError>) { lock.withLock { slots[index] = value } }
        func values() throws -> [ProxyDocument] {
            try slots.map { slot in
                guard let slot else { throw ProxyTrainerError("internal: a document was not encoded") }
                return try slot.get()
            }
        }
    }
}
