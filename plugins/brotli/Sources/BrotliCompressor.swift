import CBrotli
import WorkbenchCore

/// Brotli through libbrotli: each document becomes one complete brotli stream (RFC 7932),
/// the format the `brotli` command-line tool reads and writes.
///
/// Neither direction keeps state between documents: libbrotli 1.0 has no way to reset an
/// encoder or decoder for reuse, so each call creates its own, exactly as the library's
/// one-shot `BrotliEncoderCompress` does.
public struct BrotliCompressor: BufferDecodingCompressor {
    /// The quality used when the spec does not name one.
    public static let defaultQuality = 11
    /// The window used when the spec does not name one: `BROTLI_DEFAULT_WINDOW`.
    public static let defaultWindow = 22

    /// Compression quality, 0...11.
    public let quality: Int
    /// log2 of the LZ77 window, 10...24.
    public let window: Int
    /// The id, the linked library and its run-time version, and the resolved options.
    public let descriptor: CompressorDescriptor

    /// Creates a compressor.
    /// - Throws: `CodecError.Kind.libraryFailure` for a quality or window out of range.
    public init(quality: Int = BrotliCompressor.defaultQuality, window: Int = BrotliCompressor.defaultWindow) throws(CodecError) {
        guard (0...11).contains(quality), (10...24).contains(window) else {
            throw CodecError(
                .libraryFailure, compressor: "brotli", "quality \(quality) or window \(window) is outside 0...11 / 10...24")
        }
        self.quality = quality
        self.window = window
        self.descriptor = CompressorDescriptor(
            id: "brotli", displayName: "Brotli", libraryName: "libbrotli",
            libraryVersion: BrotliPlugin.libraryVersion,
            options: ["quality": String(quality), "window": String(window)], alphabetSize: 256,
            collisionNote:
                "a compressed byte does not stand for a stretch of the input (no spans), so collisions are not measured")
    }

    /// Compresses one document into one stream.
    /// - Complexity: libbrotli's; quality 11 runs below 1 MB/s on source code.
    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        let capacity = BrotliEncoderMaxCompressedSize(document.count)
        guard capacity > 0 else {
            throw CodecError(
                .libraryFailure, compressor: "brotli", "a \(document.count)-byte document is too large for libbrotli")
        }
        var ok: Int32 = 0
        let symbols = document.withUnsafeBufferPointer { source in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { stream in
                var written = capacity
                ok = BrotliEncoderCompress(
                    Int32(quality), Int32(window), BROTLI_MODE_GENERIC, source.count, source.baseAddress,
                    &written, stream.baseAddress)
                guard ok != 0 else { return [UInt8]() }
                return [UInt8](UnsafeRawBufferPointer(start: stream.baseAddress, count: min(written, capacity)))
            }
        }
        guard ok != 0 else {
            throw CodecError(
                .libraryFailure, compressor: "brotli", "libbrotli failed to compress a \(document.count)-byte document")
        }
        return EncodedDocument(bytes: symbols)
    }

    /// Restores a document from its stream.
    /// - Throws: `truncatedInput` when the stream ends early, `corruptInput` for an invalid
    ///   stream or bytes after its end, `outputLimitExceeded` past `maxOutputBytes`,
    ///   `symbolOutOfRange` for a symbol above 255, `libraryFailure` when the decoder cannot
    ///   allocate its window.
    public func decode(_ encoded: EncodedDocument, into buffer: DecodeBuffer, maxOutputBytes: Int) throws(CodecError) {
        guard let decoder = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw CodecError(.libraryFailure, compressor: "brotli", "libbrotli could not create a decoder")
        }
        defer { BrotliDecoderDestroyInstance(decoder) }
        try encoded.withByteSymbols(compressor: "brotli") { source throws(CodecError) in
            var nextIn = source.baseAddress
            var availableIn = source.count
            // Source code compresses about 4-5x; starting at 6x avoids regrowing most documents
            // without holding much unused capacity.
            try BoundedOutput.decode(
                into: buffer, initialCapacity: 6 * source.count + 64, limit: maxOutputBytes, compressor: "brotli"
            ) { (window, available) throws(CodecError) -> BoundedOutput.Progress in
                var nextOut: UnsafeMutablePointer<UInt8>? = window
                var availableOut = available
                let result = BrotliDecoderDecompressStream(decoder, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                let produced = available - availableOut
                switch result {
                case BROTLI_DECODER_RESULT_SUCCESS:
                    guard availableIn == 0 else {
                        throw CodecError(
                            .corruptInput, compressor: "brotli",
                            "\(availableIn) bytes follow the end of the brotli stream; the input is not one stream")
                    }
                    return .init(produced: produced, finished: true)
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                    return .init(produced: produced, finished: false)
                case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                    // All input was handed over at once, so "more input" means it was cut short.
                    throw CodecError(
                        .truncatedInput, compressor: "brotli",
                        "the stream ends early after \(source.count) bytes; the file was probably cut short")
                default:
                    throw Self.decodeError(decoder)
                }
            }
        }
    }

    private static func decodeError(_ decoder: OpaquePointer) -> CodecError {
        let code = BrotliDecoderGetErrorCode(decoder)
        let name = String(cString: BrotliDecoderErrorString(code))
        // -21...-30 are allocation failures; everything else is a malformed stream.
        if (-30 ... -21).contains(code.rawValue) {
            return CodecError(.libraryFailure, compressor: "brotli", "libbrotli could not allocate memory: \(name)")
        }
        return CodecError(.corruptInput, compressor: "brotli", "not a valid brotli stream: \(name)")
    }
}
