import CZlib
import WorkbenchCore

/// Deflate through zlib, deterministically: each document becomes one gzip member (or zlib
/// stream, or raw deflate stream) whose bytes depend only on the document and the options.
///
/// The gzip header has mtime 0, no name, and OS byte 3 (Unix), so output equals Python's
/// `gzip.compress(data, level, mtime=0)` on Linux byte for byte (same zlib, same parameters).
public struct GzipCompressor: BufferDecodingCompressor {
    /// The level used when the spec does not name one.
    public static let defaultLevel = 9

    /// Deflate level, 1...9.
    public let level: Int
    /// The wrapper around the deflate stream.
    public let container: DeflateContainer
    /// The id, the linked library and its run-time version, and the resolved options.
    public let descriptor: CompressorDescriptor

    private let deflaters: ContextPool<ZlibStream>
    private let inflaters: ContextPool<ZlibStream>

    /// Creates a compressor.
    /// - Throws: `CodecError.Kind.libraryFailure` for a level outside 1...9.
    public init(level: Int = GzipCompressor.defaultLevel, container: DeflateContainer = .gzip) throws(CodecError) {
        guard (1...9).contains(level) else {
            throw CodecError(.libraryFailure, compressor: "gzip", "level \(level) is outside 1...9")
        }
        self.level = level
        self.container = container
        self.descriptor = CompressorDescriptor(
            id: "gzip", displayName: "gzip (deflate)", libraryName: "zlib", libraryVersion: GzipPlugin.libraryVersion,
            options: ["level": String(level), "container": container.rawValue], alphabetSize: 256,
            collisionNote:
                "a compressed byte does not stand for a stretch of the input (no spans), so collisions are not measured")
        let zlibLevel = Int32(level)
        deflaters = ContextPool(create: { ZlibStream(.deflate(level: zlibLevel), container: container) }, destroy: { _ in })
        inflaters = ContextPool(create: { ZlibStream(.inflate, container: container) }, destroy: { _ in })
    }

    /// Compresses one document.
    /// - Complexity: zlib's; level 9 runs at about 10 MB/s on source code.
    /// - Throws: `libraryFailure` when zlib fails or the document exceeds 4 GiB (zlib's
    ///   single-call limit).
    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        guard document.count <= Int(UInt32.max) else {
            throw CodecError(.libraryFailure, compressor: "gzip", "a \(document.count)-byte document exceeds zlib's 4 GiB limit")
        }
        return try deflaters.withContext(
            failure: CodecError(.libraryFailure, compressor: "gzip", "zlib could not create a deflate stream")
        ) { context throws(CodecError) in
            guard context.reset() else {
                throw CodecError(.libraryFailure, compressor: "gzip", "zlib could not reset a deflate stream")
            }
            let z = context.stream
            let capacity = Int(clamping: deflateBound(z, UInt(document.count)))
            var status: Int32 = Z_OK
            let symbols = document.withUnsafeBufferPointer { source in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(capacity, 1)) { output in
                    // zlib never writes through next_in; the mutable pointer is a C API artefact.
                    z.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                    z.pointee.avail_in = UInt32(source.count)
                    z.pointee.next_out = output.baseAddress
                    z.pointee.avail_out = UInt32(clamping: output.count)
                    // One call with the whole input and a deflateBound-sized buffer, as
                    // Python's zlib.compress does: the stream ends in this call.
                    status = deflate(z, Z_FINISH)
                    z.pointee.next_in = nil
                    guard status == Z_STREAM_END else { return [UInt8]() }
                    let written = output.count - Int(z.pointee.avail_out)
                    return [UInt8](UnsafeRawBufferPointer(start: output.baseAddress, count: written))
                }
            }
            guard status == Z_STREAM_END else {
                throw CodecError(.libraryFailure, compressor: "gzip", "zlib deflate failed with status \(status)")
            }
            return EncodedDocument(bytes: symbols)
        }
    }

    /// Restores a document.
    ///
    /// For the gzip container, several members in a row decode to their concatenation, as
    /// `gzip -d` does; zlib checks each member's CRC-32 and length.
    /// - Throws: `truncatedInput` when the stream ends early, `corruptInput` for an invalid
    ///   stream, a check-value mismatch or bytes after the end, `outputLimitExceeded` past
    ///   `maxOutputBytes`, `symbolOutOfRange` for a symbol above 255.
    public func decode(_ encoded: EncodedDocument, into buffer: DecodeBuffer, maxOutputBytes: Int) throws(CodecError) {
        guard encoded.symbolCount <= Int(UInt32.max) else {
            throw CodecError(
                .corruptInput, compressor: "gzip", "a \(encoded.symbols.count)-byte stream exceeds zlib's 4 GiB limit")
        }
        let container = container
        return try encoded.withByteSymbols(compressor: "gzip") { source throws(CodecError) in
            try inflate(source, container: container, into: buffer, maxOutputBytes: maxOutputBytes)
        }
    }

    private func inflate(
        _ source: UnsafeBufferPointer<UInt8>, container: DeflateContainer, into buffer: DecodeBuffer, maxOutputBytes: Int
    ) throws(CodecError) {
        try inflaters.withContext(
            failure: CodecError(.libraryFailure, compressor: "gzip", "zlib could not create an inflate stream")
        ) { context throws(CodecError) in
            guard context.reset() else {
                throw CodecError(.libraryFailure, compressor: "gzip", "zlib could not reset an inflate stream")
            }
            let z = context.stream
            defer { z.pointee.next_in = nil; z.pointee.next_out = nil }
            z.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            z.pointee.avail_in = UInt32(source.count)
            try BoundedOutput.decode(
                into: buffer, initialCapacity: Self.sizeHint(source, container: container), limit: maxOutputBytes,
                compressor: "gzip"
            ) { (window, available) throws(CodecError) -> BoundedOutput.Progress in
                z.pointee.next_out = window
                z.pointee.avail_out = UInt32(clamping: available)
                while true {
                    // Z_FINISH, because all input is here: when the output fits, zlib then
                    // skips copying it into its sliding window (as a one-shot C call does).
                    let status = CZlib.inflate(z, Z_FINISH)
                    let produced = available - Int(z.pointee.avail_out)
                    switch status {
                    case Z_STREAM_END:
                        if z.pointee.avail_in == 0 { return .init(produced: produced, finished: true) }
                        // Another gzip member may follow, as `gzip -d` accepts.
                        guard container == .gzip, Self.startsGzipMember(z) else {
                            throw CodecError(
                                .corruptInput, compressor: "gzip",
                                "\(z.pointee.avail_in) bytes follow the end of the \(container.rawValue) stream")
                        }
                        guard inflateReset(z) == Z_OK else {
                            throw CodecError(.libraryFailure, compressor: "gzip", "zlib could not reset an inflate stream")
                        }
                    case Z_OK:
                        if z.pointee.avail_out == 0 { return .init(produced: produced, finished: false) }
                    case Z_BUF_ERROR:
                        // With Z_FINISH: the window is full (grow and go on), or, with room
                        // left and all input given, the stream was cut short.
                        if z.pointee.avail_out == 0 { return .init(produced: produced, finished: false) }
                        throw CodecError(
                            .truncatedInput, compressor: "gzip",
                            "the \(container.rawValue) stream ends early after \(source.count) bytes; the file was probably cut short"
                        )
                    case Z_MEM_ERROR:
                        throw CodecError(.libraryFailure, compressor: "gzip", "zlib could not allocate memory")
                    default:
                        // Z_DATA_ERROR (bad header, block, CRC-32, length), Z_NEED_DICT, Z_STREAM_ERROR.
                        let reason = z.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                        throw CodecError(.corruptInput, compressor: "gzip", "not a valid \(container.rawValue) stream: \(reason)")
                    }
                }
            }
        }
    }

    /// A first allocation for the decoded size: a gzip trailer's ISIZE (the length modulo
    /// 2^32, only a hint: zlib checks it after decoding, and it could belong to another member),
    /// else 4x the input.
    private static func sizeHint(_ source: UnsafeBufferPointer<UInt8>, container: DeflateContainer) -> Int {
        let fallback = 4 * source.count + 64
        guard container == .gzip, source.count >= 18 else { return fallback }
        let end = source.count
        let isize = Int(source[end - 4]) | Int(source[end - 3]) << 8 | Int(source[end - 2]) << 16 | Int(source[end - 1]) << 24
        // Deflate cannot expand more than about 1032:1, so a larger claim is a lie.
        return min(isize, 1032 * source.count)
    }

    /// True when the unread input begins with the gzip magic bytes.
    private static func startsGzipMember(_ z: UnsafeMutablePointer<z_stream>) -> Bool {
        guard z.pointee.avail_in >= 2, let next = z.pointee.next_in else { return false }
        return next[0] == 0x1f && next[1] == 0x8b
    }
}
