import CZstd
import WorkbenchCore

/// Zstandard through libzstd: each document becomes one standard zstd frame (RFC 8878).
///
/// Frames carry the content size and no checksum, exactly what `ZSTD_compressCCtx` writes, so
/// the `zstd` command-line tool decodes them (when no dictionary is used). Contexts are pooled
/// so that concurrent callers each reuse their own (see `ContextPool`).
public struct ZstdCompressor: BufferDecodingCompressor {
    /// The level used when the spec does not name one.
    public static let defaultLevel = 19

    /// The compression level, 1...22.
    public let level: Int
    /// The trained dictionary, when one is used for both directions.
    public let dictionary: ZstdDictionary?
    /// The id, the linked library and its run-time version, and the resolved options.
    public let descriptor: CompressorDescriptor

    private let compressionDictionary: ZstdCompressionDictionary?
    private let compressionContexts: ContextPool<OpaquePointer>
    private let decompressionContexts: ContextPool<OpaquePointer>

    /// Creates a compressor.
    /// - Throws: `CodecError.Kind.libraryFailure` for a level outside 1...22 or when the
    ///   dictionary cannot be digested.
    public init(level: Int = ZstdCompressor.defaultLevel, dictionary: ZstdDictionary? = nil) throws(CodecError) {
        guard (1...22).contains(level) else {
            throw CodecError(.libraryFailure, compressor: "zstd", "level \(level) is outside 1...22")
        }
        self.level = level
        self.dictionary = dictionary
        self.compressionDictionary = try dictionary?.compressionDictionary(level: level)
        var options = ["level": String(level)]
        if let dictionary { options["dict"] = String(dictionary.bytes.count) }
        self.descriptor = CompressorDescriptor(
            id: "zstd", displayName: "Zstandard", libraryName: "libzstd",
            libraryVersion: ZstdPlugin.libraryVersion, options: options, alphabetSize: 256,
            collisionNote:
                "a compressed byte does not stand for a stretch of the input (no spans), so collisions are not measured")
        self.compressionContexts = ContextPool(create: { ZSTD_createCCtx() }, destroy: { ZSTD_freeCCtx($0) })
        self.decompressionContexts = ContextPool(create: { ZSTD_createDCtx() }, destroy: { ZSTD_freeDCtx($0) })
    }

    /// Compresses one document into one frame.
    /// - Complexity: libzstd's; level 19 runs at a few MB/s on source code.
    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        let capacity = ZSTD_compressBound(document.count)
        guard !ZstdErrors.isError(capacity) else {
            throw CodecError(.libraryFailure, compressor: "zstd", "a \(document.count)-byte document is too large for libzstd")
        }
        let level = Int32(level)
        let cdict = compressionDictionary?.cdict
        return try compressionContexts.withContext(
            failure: CodecError(.libraryFailure, compressor: "zstd", "libzstd could not create a compression context")
        ) { cctx throws(CodecError) in
            var written = 0
            let symbols = document.withUnsafeBytes { source in
                withUnsafeTemporaryAllocation(byteCount: max(capacity, 1), alignment: 16) { frame in
                    // Subtle: ZSTD_compressCCtx resets the context's parameters on each call, so a
                    // pooled context carries nothing from one document to the next.
                    if let cdict {
                        written = ZSTD_compress_usingCDict(
                            cctx, frame.baseAddress, capacity, source.baseAddress, source.count, cdict)
                    } else {
                        written = ZSTD_compressCCtx(
                            cctx, frame.baseAddress, capacity, source.baseAddress, source.count, level)
                    }
                    if ZstdErrors.isError(written) { return [UInt8]() }
                    return [UInt8](UnsafeRawBufferPointer(rebasing: frame[..<written]))
                }
            }
            if ZstdErrors.isError(written) { throw ZstdErrors.encodeError(written) }
            return EncodedDocument(bytes: symbols)
        }
    }

    /// Restores a document from its frame(s).
    ///
    /// Accepts what the `zstd` tool accepts: one or more frames, skippable frames, with or
    /// without checksums. A frame header's content size only sizes the first allocation; the
    /// output is checked against both it and `maxOutputBytes`.
    /// - Throws: `truncatedInput` for an incomplete frame, `corruptInput` for anything not a
    ///   valid frame (bad magic, bad block, checksum mismatch, trailing garbage),
    ///   `incompatibleStream` for a frame that needs another dictionary, `outputLimitExceeded`
    ///   past `maxOutputBytes`, `symbolOutOfRange` for a symbol above 255.
    public func decode(_ encoded: EncodedDocument, into buffer: DecodeBuffer, maxOutputBytes: Int) throws(CodecError) {
        let limit = max(maxOutputBytes, 0)
        let ddict = dictionary?.decompressionDictionary
        try encoded.withByteSymbols(compressor: "zstd") { frame throws(CodecError) in
            guard !frame.isEmpty else {
                throw CodecError(.truncatedInput, compressor: "zstd", "empty input: a zstd frame is at least 9 bytes")
            }
            let source = UnsafeRawBufferPointer(frame)
            try decompressionContexts.withContext(
                failure: CodecError(.libraryFailure, compressor: "zstd", "libzstd could not create a decompression context")
            ) { dctx throws(CodecError) in
                let declared = ZSTD_getFrameContentSize(source.baseAddress, source.count)
                // UInt64.max is ZSTD_CONTENTSIZE_UNKNOWN, UInt64.max - 1 ZSTD_CONTENTSIZE_ERROR.
                if declared < UInt64.max - 1 {
                    guard declared <= UInt64(limit) else {
                        throw CodecError(
                            .outputLimitExceeded, compressor: "zstd",
                            "the frame declares \(declared) bytes, more than the limit of \(limit)")
                    }
                    // Subtle: the header is not trusted with a large allocation. Up to 1 MiB, or
                    // 1024x the frame (more than real text reaches), the one-call fast path
                    // allocates what it declares; beyond that the stream grows as it decodes.
                    let plausible = 1024 * source.count
                    if declared <= max(1 << 20, UInt64(plausible)),
                        try decodeDeclared(source, declaredBytes: Int(declared), into: buffer, dctx: dctx, ddict: ddict)
                    {
                        return
                    }
                    try decodeStreaming(
                        source, into: buffer, limit: limit, sizeHint: min(Int(declared), plausible), dctx: dctx, ddict: ddict)
                    return
                }
                try decodeStreaming(source, into: buffer, limit: limit, sizeHint: 4 * source.count, dctx: dctx, ddict: ddict)
            }
        }
    }

    /// The fast path: one frame whose header declares its size, decoded in one call into a
    /// buffer of that size (what a C program would do). Returns false when the input holds more
    /// than that frame, so the bounded streaming path takes over.
    private func decodeDeclared(
        _ source: UnsafeRawBufferPointer, declaredBytes: Int, into buffer: DecodeBuffer, dctx: OpaquePointer,
        ddict: OpaquePointer?
    ) throws(CodecError) -> Bool {
        buffer.count = 0
        buffer.reserve(declaredBytes)
        let status: Int
        if let ddict {
            status = ZSTD_decompress_usingDDict(dctx, buffer.base, declaredBytes, source.baseAddress, source.count, ddict)
        } else {
            status = ZSTD_decompressDCtx(dctx, buffer.base, declaredBytes, source.baseAddress, source.count)
        }
        if ZstdErrors.isError(status) {
            // More frames follow the first, or the frame lies about its size: let the bounded
            // streaming decoder find out which.
            if ZSTD_getErrorCode(status) == ZSTD_error_dstSize_tooSmall { return false }
            throw ZstdErrors.decodeError(status)
        }
        guard status == declaredBytes else {
            throw CodecError(
                .corruptInput, compressor: "zstd",
                "the frame declares \(declaredBytes) bytes but holds \(status)")
        }
        buffer.count = declaredBytes
        return true
    }

    /// The general path: any sequence of frames, decoded with `ZSTD_decompressStream` into a
    /// bounded, growing buffer.
    private func decodeStreaming(
        _ source: UnsafeRawBufferPointer, into buffer: DecodeBuffer, limit: Int, sizeHint: Int, dctx: OpaquePointer,
        ddict: OpaquePointer?
    ) throws(CodecError) {
        ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only)
        if let ddict { ZSTD_DCtx_refDDict(dctx, ddict) }
        var input = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
        var frameComplete = false
        try BoundedOutput.decode(into: buffer, initialCapacity: sizeHint, limit: limit, compressor: "zstd") {
            (window, available) throws(CodecError) -> BoundedOutput.Progress in
            var output = ZSTD_outBuffer(dst: UnsafeMutableRawPointer(window), size: available, pos: 0)
            while true {
                let before = (input.pos, output.pos)
                let status = ZSTD_decompressStream(dctx, &output, &input)
                if ZstdErrors.isError(status) { throw ZstdErrors.decodeError(status) }
                frameComplete = status == 0
                if frameComplete && input.pos == input.size {
                    return .init(produced: output.pos, finished: true)
                }
                if output.pos == output.size {
                    return .init(produced: output.pos, finished: false)
                }
                if input.pos == input.size && !frameComplete && before == (input.pos, output.pos) {
                    throw CodecError(
                        .truncatedInput, compressor: "zstd",
                        "the frame ends early after \(source.count) bytes; the file was probably cut short")
                }
            }
        }
    }
}
