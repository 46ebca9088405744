import Foundation
import WorkbenchCore

/// A compressor that lives in another process and speaks plugins/external/PROTOCOL.md.
///
/// Built from a manifest and validated options: starting it runs the plugin, performs the
/// handshake (protocol version, alphabet, spans, accepted options) and a round-trip self-test on
/// a few probe documents, so a broken plugin is refused before any measurement uses it.
///
/// Thread-safe: concurrent callers share up to `max_processes` plugin processes (manifest,
/// default 1), each serving one request at a time (`PluginPool`). After any failure the process
/// is killed and reaped, and the next call starts a fresh one.
public final class ExternalCompressor: Compressor, @unchecked Sendable {
    /// Requests are cut into chunks of about this many payload bytes, so each reply arrives
    /// within the manifest's timeout and memory on both sides stays bounded. A single larger
    /// document still travels alone.
    public static let maxRequestBytes = 1 << 20

    public let descriptor: CompressorDescriptor
    /// The manifest this compressor was built from.
    public let manifest: PluginManifest
    /// What the plugin said at the handshake.
    public let handshake: PluginHandshake

    private let pool: PluginPool

    /// Starts the plugin, handshakes and self-tests it.
    /// - Throws: `CodecError` (`.pluginFailure`) naming the plugin, with its stderr tail.
    public init(manifest: PluginManifest, options: ResolvedOptions) throws(CodecError) {
        self.manifest = manifest
        let first = try PluginSession(manifest: manifest, options: options.values)
        handshake = first.handshake
        pool = PluginPool(first: first, options: options.values, capacity: manifest.maxProcesses)
        descriptor = CompressorDescriptor(
            id: manifest.id, displayName: manifest.displayName, libraryName: handshake.name,
            libraryVersion: handshake.version, options: options.values, alphabetSize: handshake.alphabetSize,
            passesRawBytesThrough: handshake.passesRawBytesThrough, givesSpans: handshake.givesSpans)
        try selfTest()
    }

    /// Stops the idle plugin processes now (they are restarted if the compressor is used again).
    public func shutdown() {
        pool.shutdown()
    }

    // MARK: Compressor

    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        let results = try encodeBatch([document])
        guard let first = results.first else {
            throw CodecError(.pluginFailure, compressor: manifest.id, "external plugin returned no encoding")
        }
        return first
    }

    public func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        let results = try decodeBatch([encoded], maxOutputBytes: maxOutputBytes)
        guard let first = results.first else {
            throw CodecError(.pluginFailure, compressor: manifest.id, "external plugin returned no decoding")
        }
        return first
    }

    // MARK: Batches

    /// Encodes many documents with as few process round trips as `maxRequestBytes` allows: the
    /// cheap path for a whole corpus.
    /// - Throws: the first document's `CodecError`, or the request's.
    public func encodeBatch(_ documents: [[UInt8]]) throws(CodecError) -> [EncodedDocument] {
        var encoded: [EncodedDocument] = []
        encoded.reserveCapacity(documents.count)
        for chunk in Self.chunks(documents.map(\.count), count: documents.count) {
            let results = try pool.withSession { session throws(CodecError) in try session.encode(Array(documents[chunk])) }
            for result in results { encoded.append(try result.get()) }
        }
        return encoded
    }

    /// Decodes many encodings, each bounded by `maxOutputBytes`.
    /// - Throws: `.symbolOutOfRange` for a symbol outside the alphabet (checked before sending),
    ///   otherwise the first document's `CodecError`, or the request's.
    public func decodeBatch(_ encodings: [EncodedDocument], maxOutputBytes: Int) throws(CodecError) -> [[UInt8]] {
        for (document, encoding) in encodings.enumerated() {
            if let bad = encoding.firstSymbol(notBelow: handshake.alphabetSize) {
                throw CodecError(
                    .symbolOutOfRange, compressor: manifest.id,
                    "symbol \(encoding.symbols[bad]) at index \(bad)\(encodings.count > 1 ? " of document \(document)" : "") "
                        + "is not below the alphabet size \(handshake.alphabetSize)")
            }
        }
        let width = handshake.symbolWidth.rawValue
        var decoded: [[UInt8]] = []
        decoded.reserveCapacity(encodings.count)
        for chunk in Self.chunks(encodings.map { $0.symbols.count * width }, count: encodings.count) {
            let items = encodings[chunk].map { (symbols: $0.symbols, maxOutputBytes: maxOutputBytes) }
            let results = try pool.withSession { session throws(CodecError) in try session.decode(items) }
            for result in results { decoded.append(try result.get()) }
        }
        return decoded
    }

    // MARK: Internals

    /// Index ranges of consecutive items whose sizes add up to about `maxRequestBytes`.
    static func chunks(_ sizes: [Int], count: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, size) in sizes.enumerated() {
            if index > start && bytes + size > maxRequestBytes {
                ranges.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < count || count == 0 { ranges.append(start..<count) }
        return ranges
    }

    /// Probe documents every plugin must round-trip before it is used: empty, every byte value,
    /// a run, and text. A plugin that loses or alters bytes is refused here with a clear error
    /// instead of corrupting a comparison later.
    static let probes: [(name: String, bytes: [UInt8])] = [
        ("the empty document", []),
        ("all 256 byte values", (0...255).map { UInt8($0) }),
        ("a run of 1000 'a' bytes", [UInt8](repeating: UInt8(ascii: "a"), count: 1000)),
        ("a line of Python", Array("def f(x):\n    return x + 1  # héllo\n".utf8)),
    ]

    private func selfTest() throws(CodecError) {
        try pool.withSession { session throws(CodecError) in
            func failure(_ message: String) -> CodecError {
                let stderr = session.process.stderrTail.text
                session.shutdown()
                return PluginSession.failure(manifest, during: "the self-test", message, stderr: stderr)
            }
            let encoded = try session.encode(Self.probes.map(\.bytes))
            var encodings: [EncodedDocument] = []
            for (index, result) in encoded.enumerated() {
                switch result {
                case .success(let encoding): encodings.append(encoding)
                case .failure(let error): throw failure("cannot encode \(Self.probes[index].name): \(error.message)")
                }
            }
            let decoded = try session.decode(encodings.map { (symbols: $0.symbols, maxOutputBytes: 1 << 20) })
            for (index, result) in decoded.enumerated() {
                let probe = Self.probes[index]
                let output: [UInt8]
                switch result {
                case .success(let bytes): output = bytes
                case .failure(let error): throw failure("cannot decode its own encoding of \(probe.name): \(error.message)")
                }
                guard output == probe.bytes else {
                    let offset =
                        (0..<min(output.count, probe.bytes.count)).first { output[$0] != probe.bytes[$0] }
                        ?? min(output.count, probe.bytes.count)
                    throw failure(
                        "breaks the round trip: \(probe.name) (\(probe.bytes.count) bytes) decodes to \(output.count) bytes "
                            + "that first differ at offset \(offset)")
                }
                if handshake.givesSpans, encodings[index].spans == nil {
                    throw failure("said it gives spans but returned none for \(probe.name)")
                }
            }
        }
    }
}
