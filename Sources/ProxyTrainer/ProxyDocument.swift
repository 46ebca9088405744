import Foundation
import WorkbenchCore

/// One training document in both views, as token ids, compressed once per run.
public struct ProxyDocument: Sendable, Equatable {
    /// Raw-byte ids (64 + b).
    public var raw: [Int32]
    /// Compressed-symbol ids (`ProxyVocabulary.ids(ofSymbols:)`), empty when the run never compresses.
    public var compressed: [Int32]

    /// Creates a document from token ids.
    public init(raw: [Int32], compressed: [Int32]) {
        self.raw = raw
        self.compressed = compressed
    }
}

/// Where the packer takes documents from, by index.
public protocol ProxyDocumentSource: Sendable {
    /// Number of documents.
    var count: Int { get }
    /// The document at `index`. `upcoming` are the indices the stream takes next, so a source that
    /// prepares documents lazily can prepare them together.
    /// - Throws: whatever preparing the document raised (a `CodecError` from a compressor).
    func document(at index: Int, upcoming: ArraySlice<Int>) throws -> ProxyDocument
}

extension Array: ProxyDocumentSource where Element == ProxyDocument {
    /// Documents already tokenized in memory.
    public func document(at index: Int, upcoming: ArraySlice<Int>) -> ProxyDocument { self[index] }
}
