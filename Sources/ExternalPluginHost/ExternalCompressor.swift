import Foundation
import WorkbenchCore

/// A compressor that lives in another process and speaks plugins/external/PROTOCOL.md.
///
/// Built from a manifest and validated options. The first compressor built for an option set in
/// this process starts the plugin, performs the handshake (protocol version, alphabet, spans,
/// accepted options) and a round-trip self-test on a few probe documents, so a broken plugin is
/// refused before any measurement uses it; later ones (the fresh instances of timed passes)
/// reuse that verified handshake and the running processes.
///
/// Thread-safe: concurrent callers share up to `max_processes` plugin processes (manifest,
/// default 1) with every other compressor built from the same manifest (`PluginPool`), each
/// process serving one request at a time. After any failure the process is killed and reaped,
/// and the next call starts a fresh one.
///
/// A `BatchCompressor`: `encode(batch:)` and `decode(batch:maxOutputBytes:)` send requests of up
/// to `maxRequestBytes`, one process round trip each, where `encode(_:)` pays one per document.
public final class ExternalCompressor: BatchCompressor, @unchecked Sendable {
    /// Requests are cut into chunks of about this many payload bytes, so each reply arrives
    /// within the manifest's timeout and memory on both sides stays bounded. A single larger
    /// document still travels alone.
    public static let maxRequestBytes = 1 << 20

    public let descriptor: CompressorDescriptor
    /// The manifest this compressor was built from.
    public let manifest: PluginManifest
    /// What the plugin said at the handshake.
    public let handshake: PluginHandshake

    private let options: [String: String]
    private let pool: PluginPool

    /// Starts the plugin, handshakes and self-tests it, unless a compressor of this manifest
    /// and options already did so in this process.
    /// - Throws: `CodecError` (`.pluginFailure`) naming the plugin, with its stderr tail;
    ///   `WorkbenchError.usage` when the plugin refuses the option values (`invalid_options`).
    public init(manifest: PluginManifest, options: ResolvedOptions) throws {
        self.manifest = manifest
        self.options = options.values
        pool = PluginPool.shared(for: manifest)
        if let known = pool.verifiedHandshake(for: options.values) {
            handshake = known
        } else {
            handshake = try pool.withSession(options: options.values) { session throws(CodecError) in
                try Self.selfTest(session)
                return session.handshake
            }
            pool.recordVerified(handshake, for: options.values)
        }
        let library = handshake.reportedLibrary
        descriptor = CompressorDescriptor(
            id: manifest.id, displayName: manifest.displayName, libraryName: library.name,
            libraryVersion: library.version, options: options.values, alphabetSize: handshake.alphabetSize,
            passesRawBytesThrough: handshake.passesRawBytesThrough, givesSpans: handshake.givesSpans)
    }

    /// Stops the idle processes of this plugin now, for every compressor sharing them (they are
    /// restarted when one is used again).
    public func shutdown() {
        pool.shutdown()
    }

    /// How many processes of this plugin exist now in this process, and how many were started
    /// since the first compressor of its manifest was built (while any has lived since).
    public var processCounts: (live: Int, started: Int) { pool.processCounts }

    // MARK: Compressor

    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        try Self.only(encode(batch: [document]), compressor: manifest.id)
    }

    public func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        try Self.only(decode(batch: [encoded], maxOutputBytes: [maxOutputBytes]), compressor: manifest.id)
    }

    // MARK: BatchCompressor

    /// Encodes many documents with as few process round trips as `maxRequestBytes` allows.
    /// A request that fails as a whole fails each of its documents; the next request runs on a
    /// fresh process.
    public func encode(batch documents: [[UInt8]]) -> [Result<EncodedDocument, CodecError>] {
        var results: [Result<EncodedDocument, CodecError>] = []
        results.reserveCapacity(documents.count)
        for chunk in Self.chunks(documents.map { $0.count }, count: documents.count) where !chunk.isEmpty {
            let position = BatchPosition(chunk, of: documents.count)
            do {
                results += try pool.withSession(options: options) { session throws(CodecError) in
                    try session.encode(documents[chunk], position: position)
                }
            } catch {
                results += repeatElement(.failure(codecError(error)), count: chunk.count)
            }
        }
        return results
    }

    /// Decodes many encodings, the i-th bounded by `maxOutputBytes[i]`. An encoding with a symbol
    /// outside the alphabet fails with `.symbolOutOfRange` without being sent.
    public func decode(batch encodings: [EncodedDocument], maxOutputBytes: [Int]) -> [Result<[UInt8], CodecError>] {
        precondition(encodings.count == maxOutputBytes.count, "one decode bound per encoding")
        var refused: [Int: CodecError] = [:]
        for (index, encoding) in encodings.enumerated() {
            if let bad = encoding.firstSymbol(notBelow: handshake.alphabetSize) {
                let which = encodings.count > 1 ? " of document \(index) of \(encodings.count) in this batch" : ""
                refused[index] = CodecError(
                    .symbolOutOfRange, compressor: manifest.id,
                    "symbol \(encoding.symbols[bad]) at index \(bad)\(which) is not below the alphabet size \(handshake.alphabetSize)"
                )
            }
        }
        let width = handshake.symbolWidth.rawValue
        if refused.isEmpty {
            // The usual case: every encoding is sent, in slices of the caller's arrays, and the
            // first (usually only) request's results are returned as they come. Copying
            // encodings and results one by one into new arrays took a sixth of the host's own
            // time in a profile of batches of one-line documents.
            var results: [Result<[UInt8], CodecError>] = []
            for chunk in Self.chunks(encodings.map { $0.symbolCount * width }, count: encodings.count) where !chunk.isEmpty {
                let outcome = decodeRequest(
                    encodings[chunk], bounds: maxOutputBytes[chunk], position: BatchPosition(chunk, of: encodings.count))
                if results.isEmpty { results = outcome } else { results += outcome }
            }
            return results
        }
        // Some were refused: the others are sent, and every result is put in its place.
        let sendable = encodings.indices.filter { refused[$0] == nil }
        var results = encodings.indices.map { index in refused[index].map { Result<[UInt8], CodecError>.failure($0) } }
        for chunk in Self.chunks(sendable.map { encodings[$0].symbolCount * width }, count: sendable.count) where !chunk.isEmpty {
            let indices = Array(sendable[chunk])
            let outcome = decodeRequest(
                ArraySlice(indices.map { encodings[$0] }), bounds: ArraySlice(indices.map { maxOutputBytes[$0] }),
                position: BatchPosition(indices: indices, of: encodings.count))
            for (index, result) in zip(indices, outcome) { results[index] = result }
        }
        return results.map {
            $0 ?? .failure(CodecError(.pluginFailure, compressor: manifest.id, "external plugin returned no decoding"))
        }
    }

    /// One decode request; a failure of the whole request is the result of each of its encodings.
    private func decodeRequest(
        _ encodings: ArraySlice<EncodedDocument>, bounds: ArraySlice<Int>, position: BatchPosition
    ) -> [Result<[UInt8], CodecError>] {
        do {
            return try pool.withSession(options: options) { session throws(CodecError) in
                try session.decode(encodings, bounds: bounds, position: position)
            }
        } catch {
            return Array(repeating: .failure(codecError(error)), count: encodings.count)
        }
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

    private func codecError(_ error: any Error) -> CodecError {
        if let error = error as? CodecError { return error }
        return CodecError(.pluginFailure, compressor: manifest.id, "\(error)")
    }

    private static func only<T>(_ results: [Result<T, CodecError>], compressor: String) throws(CodecError) -> T {
        guard let first = results.first else {
            throw CodecError(.pluginFailure, compressor: compressor, "external plugin returned no result")
        }
        return try first.get()
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

    private static func selfTest(_ session: PluginSession) throws(CodecError) {
        let manifest = session.manifest
        func failure(_ message: String) -> CodecError {
            let stderr = session.process.stderrTail.text
            session.shutdown()
            return PluginSession.failure(manifest, during: "the self-test", message, stderr: stderr)
        }
        let position = BatchPosition.probes(probes.map(\.name))
        // A probe's error item already names the plugin, the probe and the stderr tail.
        func refused(_ error: CodecError) -> CodecError {
            session.shutdown()
            return CodecError(.pluginFailure, compressor: error.compressor, error.message)
        }
        let encoded = try session.encode(probes.map(\.bytes)[...], position: position)
        var encodings: [EncodedDocument] = []
        for result in encoded {
            switch result {
            case .success(let encoding): encodings.append(encoding)
            case .failure(let error): throw refused(error)
            }
        }
        let decoded = try session.decode(
            encodings[...], bounds: Array(repeating: 1 << 20, count: encodings.count)[...], position: position)
        for (index, result) in decoded.enumerated() {
            let probe = probes[index]
            let output: [UInt8]
            switch result {
            case .success(let bytes): output = bytes
            case .failure(let error): throw refused(error)
            }
            guard output == probe.bytes else {
                let offset =
                    (0..<min(output.count, probe.bytes.count)).first { output[$0] != probe.bytes[$0] }
                    ?? min(output.count, probe.bytes.count)
                throw failure(
                    "breaks the round trip: \(probe.name) (\(probe.bytes.count) bytes) decodes to \(output.count) bytes "
                        + "that first differ at offset \(offset)")
            }
            if session.handshake.givesSpans, encodings[index].spans == nil {
                throw failure("said it gives spans but returned none for \(probe.name)")
            }
        }
    }
}
