/// A lossless compressor seen as a producer of symbols: the one contract every plugin implements.
///
/// A compressor turns each document independently into a sequence of symbols drawn from an
/// alphabet of `descriptor.alphabetSize` values, and back. Implementations must round-trip every
/// byte string exactly and must never trap on any input handed to `decode`: corrupt, truncated or
/// oversized inputs throw `CodecError`.
public protocol Compressor: Sendable {
    /// What this compressor is, with its resolved options and the real linked library version.
    var descriptor: CompressorDescriptor { get }

    /// Compresses one whole document.
    /// - Throws: `CodecError` when the underlying library fails (never for well-formed bytes in
    ///   a working build, but libraries can run out of memory).
    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument

    /// Restores the document `encode` produced.
    /// - Parameter maxOutputBytes: the decode bound. Producing more bytes than this throws
    ///   `CodecError.Kind.outputLimitExceeded` instead of allocating without limit, so a hostile
    ///   or corrupt stream cannot exhaust memory.
    /// - Throws: `CodecError` on any corrupt, truncated or oversized input; never traps.
    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8]

    /// Restores the document into `buffer` (replacing its contents, reusing its memory), for
    /// callers that decode many documents. Same bound and errors as `decode(_:maxOutputBytes:)`;
    /// after an error the buffer's contents are unspecified. The default implementation copies
    /// what `decode(_:maxOutputBytes:)` returns.
    func decode(_ encoded: EncodedDocument, into buffer: DecodeBuffer, maxOutputBytes: Int) throws(CodecError)
}

extension Compressor {
    /// Decodes with `decode(_:maxOutputBytes:)` and copies the result into the buffer.
    public func decode(_ encoded: EncodedDocument, into buffer: DecodeBuffer, maxOutputBytes: Int) throws(CodecError) {
        buffer.replace(with: try decode(encoded, maxOutputBytes: maxOutputBytes))
    }

    /// The CLI id of this compressor (`zstd`, `bpe`, ...).
    public var id: String { descriptor.id }
}
