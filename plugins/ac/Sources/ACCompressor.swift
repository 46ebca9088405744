import WorkbenchCore

/// Neural arithmetic coding with M1: plain AC or equal-info windows (see `ACCodec` for the
/// stream layouts and `EqualInfoWindowCoder` for the window rule).
///
/// A value: safe to share between threads; each call builds its own inference session.
public struct ACCompressor: Compressor {
    public let descriptor: CompressorDescriptor
    /// The model every stream of this compressor is tied to.
    public let model: M1Model
    let codec: ACCodec

    init(descriptor: CompressorDescriptor, model: M1Model, codec: ACCodec) {
        self.descriptor = descriptor
        self.model = model
        self.codec = codec
    }

    /// Compresses one document. Cost: one M1 step per byte (plus one per window).
    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        try codec.encode(document)
    }

    /// Restores a document; never produces more than `maxOutputBytes` bytes.
    /// - Throws: `CodecError` for symbols outside the alphabet, a corrupt or truncated stream,
    ///   or output beyond the bound.
    public func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        try codec.decode(encoded.symbols, maxOutputBytes: maxOutputBytes)
    }
}
