/// A compressor that serves many documents in one call more cheaply than one call per document.
///
/// Optional: a compressor adopts it when a call has a fixed cost that documents can share (an
/// external plugin pays one process round trip per call: one document per call measured 0.09x
/// of the plugin's own decode speed on 20,000 one-line documents). Callers that hold many
/// documents use `encodeDocuments` / `decodeDocuments`, which take this path when it exists and
/// fall back to one call per document otherwise. Each document is still encoded independently:
/// the results must equal what `encode` and `decode` return for it alone.
public protocol BatchCompressor: Compressor {
    /// Encodes every document, each independently; one result per document, in order. A failure
    /// of the whole call (a plugin process that died) is the result of every document it took down.
    func encode(batch documents: [[UInt8]]) -> [Result<EncodedDocument, CodecError>]

    /// Decodes every encoding, the i-th bounded by `maxOutputBytes[i]`; one result per encoding,
    /// in order, with the same bound and errors as `decode(_:maxOutputBytes:)`.
    /// - Precondition: `maxOutputBytes.count == encodings.count`.
    func decode(batch encodings: [EncodedDocument], maxOutputBytes: [Int]) -> [Result<[UInt8], CodecError>]
}

extension Compressor {
    /// Encodes many documents: in one call for a `BatchCompressor`, else one `encode` per document.
    public func encodeDocuments(_ documents: [[UInt8]]) -> [Result<EncodedDocument, CodecError>] {
        if let batching = self as? any BatchCompressor { return batching.encode(batch: documents) }
        return documents.map { document in Result { () throws(CodecError) in try encode(document) } }
    }

    /// Decodes many encodings, the i-th bounded by `maxOutputBytes[i]`: in one call for a
    /// `BatchCompressor`, else one `decode` per encoding.
    public func decodeDocuments(_ encodings: [EncodedDocument], maxOutputBytes: [Int]) -> [Result<[UInt8], CodecError>] {
        precondition(encodings.count == maxOutputBytes.count, "one decode bound per encoding")
        if let batching = self as? any BatchCompressor {
            return batching.decode(batch: encodings, maxOutputBytes: maxOutputBytes)
        }
        return zip(encodings, maxOutputBytes).map { encoded, bound in
            Result { () throws(CodecError) in try decode(encoded, maxOutputBytes: bound) }
        }
    }
}
