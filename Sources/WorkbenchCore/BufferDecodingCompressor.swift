/// A compressor whose native decoder writes into a `DecodeBuffer` (the C codecs): it implements
/// `decode(_:into:maxOutputBytes:)` and gets `decode(_:maxOutputBytes:)` from it.
public protocol BufferDecodingCompressor: Compressor {}

extension BufferDecodingCompressor {
    /// Decodes into a fresh buffer and returns its bytes.
    public func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        let buffer = DecodeBuffer()
        try decode(encoded, into: buffer, maxOutputBytes: maxOutputBytes)
        return buffer.array
    }
}
