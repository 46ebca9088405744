import WorkbenchCore

/// One started, handshaken plugin process and the request/reply exchanges over it.
///
/// Checks every reply against its request before believing it (counts, lengths, payload size,
/// alphabet, spans), because a plugin is arbitrary code: any mismatch is a `CodecError` of kind
/// `.pluginFailure` naming the plugin and quoting its stderr, and the process is not reused.
/// Not thread-safe; `ExternalCompressor` serializes callers.
final class PluginSession {
    let manifest: PluginManifest
    let process: PluginProcess
    let handshake: PluginHandshake
    /// Request ids count up from 1 (the handshake is 0), so a reply to an older request is caught.
    private var nextRequestID = 1
    /// False once an exchange failed; the compressor then starts a fresh session.
    private(set) var isUsable = true

    /// Starts the plugin and performs the handshake.
    /// - Throws: `CodecError` (`.pluginFailure`) when it cannot start, does not answer, speaks
    ///   another protocol version, refuses the options, or describes itself impossibly.
    init(manifest: PluginManifest, options: [String: String]) throws(CodecError) {
        self.manifest = manifest
        let process: PluginProcess
        do {
            process = try PluginProcess(
                executable: manifest.resolvedCommand, arguments: manifest.arguments, workingDirectory: manifest.directory)
        } catch {
            throw Self.failure(manifest, during: "start-up", error.explanation, stderr: nil)
        }
        self.process = process
        var hello = ProtocolHeader(type: "hello", id: 0)
        hello.protocolVersion = ExternalProtocol.version
        hello.compressor = manifest.id
        hello.options = options
        let reply: Frame
        do {
            reply = try process.exchange(Frame.encode(hello), timeoutSeconds: manifest.timeoutSeconds)
        } catch {
            throw Self.failure(manifest, during: "the handshake", error.explanation, stderr: process.stderrTail.text)
        }
        do {
            handshake = try Self.readReady(reply.header, requestedOptions: options)
        } catch {
            process.terminate()
            throw Self.failure(manifest, during: "the handshake", error.message, stderr: process.stderrTail.text)
        }
    }

    /// Closes stdin and reaps the process.
    func shutdown() {
        isUsable = false
        process.shutdown()
    }

    // MARK: Encode

    /// Encodes documents in one request; a per-document failure is that document's `Result`.
    /// - Throws: `CodecError` when the request as a whole failed (the session is then unusable).
    func encode(_ documents: [[UInt8]]) throws(CodecError) -> [Result<EncodedDocument, CodecError>] {
        var request = ProtocolHeader(type: "encode", id: nextRequestID)
        request.lengths = documents.map(\.count)
        var payload = [UInt8]()
        payload.reserveCapacity(documents.reduce(0) { $0 + $1.count })
        for document in documents { payload.append(contentsOf: document) }
        guard payload.count <= ExternalProtocol.maxPayloadBytes else {
            throw CodecError(
                .pluginFailure, compressor: manifest.id,
                "a \(payload.count)-byte document is larger than an external plugin frame can carry (1 GiB)")
        }
        let reply = try exchange(request, payload: payload, expecting: "encoded", during: "encode")
        do {
            return try readEncoded(reply, documents: documents)
        } catch {
            throw abandon(during: "encode", error.message)
        }
    }

    private func readEncoded(
        _ reply: Frame, documents: [[UInt8]]
    ) throws(ProtocolViolation) -> [Result<EncodedDocument, CodecError>] {
        let header = reply.header
        let count = documents.count
        guard let counts = header.counts, counts.count == count, counts.allSatisfy({ $0 >= 0 && $0 <= reply.payload.count })
        else {
            throw ProtocolViolation("'encoded' reply needs \"counts\": one symbol count per document (\(count) documents)")
        }
        let errors = try itemErrors(header, count: count, reply: "encoded")
        var spanCounts: [Int]?
        if handshake.givesSpans {
            guard let given = header.spanCounts, given.count == count, given.allSatisfy({ $0 >= 0 && $0 <= reply.payload.count })
            else {
                throw ProtocolViolation(
                    "'encoded' reply needs \"span_counts\" (one per document): the plugin said it gives spans")
            }
            spanCounts = given
        } else if header.spanCounts != nil {
            throw ProtocolViolation("'encoded' reply has \"span_counts\" but the plugin said it gives no spans")
        }
        let width = handshake.symbolWidth.rawValue
        let symbolBytes = counts.reduce(0, +) * width
        let spanBytes = (spanCounts?.reduce(0, +) ?? 0) * 16
        guard reply.payload.count == symbolBytes + spanBytes else {
            throw ProtocolViolation(
                "'encoded' payload is \(reply.payload.count) bytes; the counts announce \(symbolBytes) bytes of "
                    + "\(width)-byte symbols and \(spanBytes) bytes of spans")
        }
        var results: [Result<EncodedDocument, CodecError>] = []
        results.reserveCapacity(count)
        var symbolOffset = 0
        var spanOffset = symbolBytes
        for index in 0..<count {
            let symbols = handshake.symbolWidth.read(counts[index], from: reply.payload, at: symbolOffset)
            symbolOffset += counts[index] * width
            var spans: [SymbolSpan]?
            if let spanCounts {
                spans = try readSpans(
                    spanCounts[index], from: reply.payload, at: spanOffset, symbolCount: symbols.count,
                    byteCount: documents[index].count, document: index)
                spanOffset += spanCounts[index] * 16
            }
            if let error = errors[index] {
                results.append(.failure(itemError(error)))
                continue
            }
            if let bad = EncodedDocument(symbols: symbols).firstSymbol(notBelow: handshake.alphabetSize) {
                throw ProtocolViolation(
                    "document \(index) encodes to symbol \(symbols[bad]) at index \(bad), not below the plugin's alphabet size \(handshake.alphabetSize)"
                )
            }
            results.append(.success(EncodedDocument(symbols: symbols, spans: spans)))
        }
        return results
    }

    /// Spans travel as four uint32 each: symbol start, symbol end, byte start, byte end.
    private func readSpans(
        _ count: Int, from payload: [UInt8], at offset: Int, symbolCount: Int, byteCount: Int, document: Int
    ) throws(ProtocolViolation) -> [SymbolSpan] {
        let values = SymbolWidth.four.read(count * 4, from: payload, at: offset)
        var spans: [SymbolSpan] = []
        spans.reserveCapacity(count)
        for index in 0..<count {
            let (s0, s1) = (Int(values[4 * index]), Int(values[4 * index + 1]))
            let (b0, b1) = (Int(values[4 * index + 2]), Int(values[4 * index + 3]))
            guard s0 <= s1, s1 <= symbolCount, b0 <= b1, b1 <= byteCount else {
                throw ProtocolViolation(
                    "document \(document), span \(index) [symbols \(s0)..<\(s1), bytes \(b0)..<\(b1)] is outside "
                        + "the document's \(symbolCount) symbols and \(byteCount) bytes")
            }
            spans.append(SymbolSpan(symbols: s0..<s1, bytes: b0..<b1))
        }
        return spans
    }

    // MARK: Decode

    /// Decodes symbol sequences in one request, each with its own output bound.
    /// - Throws: `CodecError` when the request as a whole failed (the session is then unusable).
    func decode(_ items: [(symbols: [UInt32], maxOutputBytes: Int)]) throws(CodecError) -> [Result<[UInt8], CodecError>] {
        var request = ProtocolHeader(type: "decode", id: nextRequestID)
        request.counts = items.map(\.symbols.count)
        request.maxOutputBytes = items.map { max(0, $0.maxOutputBytes) }
        var payload = [UInt8]()
        payload.reserveCapacity(items.reduce(0) { $0 + $1.symbols.count } * handshake.symbolWidth.rawValue)
        for item in items { handshake.symbolWidth.append(item.symbols, to: &payload) }
        guard payload.count <= ExternalProtocol.maxPayloadBytes else {
            throw CodecError(
                .pluginFailure, compressor: manifest.id,
                "\(payload.count) bytes of symbols are more than an external plugin frame can carry (1 GiB)")
        }
        let reply = try exchange(request, payload: payload, expecting: "decoded", during: "decode")
        let header = reply.header
        do throws(ProtocolViolation) {
            guard let lengths = header.lengths, lengths.count == items.count,
                lengths.allSatisfy({ $0 >= 0 && $0 <= reply.payload.count })
            else {
                throw ProtocolViolation(
                    "'decoded' reply needs \"lengths\": one byte length per document (\(items.count) documents)")
            }
            let errors = try itemErrors(header, count: items.count, reply: "decoded")
            guard lengths.reduce(0, +) == reply.payload.count else {
                throw ProtocolViolation(
                    "'decoded' payload is \(reply.payload.count) bytes; the lengths add up to \(lengths.reduce(0, +))")
            }
            var results: [Result<[UInt8], CodecError>] = []
            var offset = 0
            for (index, length) in lengths.enumerated() {
                defer { offset += length }
                if let error = errors[index] {
                    results.append(.failure(itemError(error)))
                } else if length > max(0, items[index].maxOutputBytes) {
                    // The plugin ignored the bound; the answer is still "too big".
                    results.append(
                        .failure(
                            CodecError(
                                .outputLimitExceeded, compressor: manifest.id,
                                "decoding produced \(length) bytes, more than the limit of \(items[index].maxOutputBytes)")))
                } else {
                    results.append(.success(Array(reply.payload[offset..<(offset + length)])))
                }
            }
            return results
        } catch {
            throw abandon(during: "decode", error.message)
        }
    }

    // MARK: Shared

    /// Sends one request and returns its reply, turning `error` frames and failures into
    /// `CodecError`s.
    private func exchange(
        _ request: ProtocolHeader, payload: [UInt8], expecting type: String, during: String
    ) throws(CodecError) -> Frame {
        guard isUsable else {
            throw Self.failure(
                manifest, during: during, "is no longer running after an earlier failure", stderr: process.stderrTail.text)
        }
        let id = nextRequestID
        nextRequestID += 1
        let reply: Frame
        do {
            reply = try process.exchange(Frame.encode(request, payload: payload), timeoutSeconds: manifest.timeoutSeconds)
        } catch {
            isUsable = false
            throw Self.failure(manifest, during: during, error.explanation, stderr: process.stderrTail.text)
        }
        if reply.header.type == "error" {
            // A structured refusal of the whole request. The plugin is still in step with the
            // protocol, so the session stays usable; only a plugin failure quotes stderr.
            let kind = reply.header.kind.flatMap(CodecError.Kind.init(rawValue:)) ?? .pluginFailure
            let message =
                "external plugin '\(manifest.id)' reported an error during \(during): \(reply.header.message ?? "(no message)")"
            throw CodecError(
                kind, compressor: manifest.id,
                kind == .pluginFailure ? message + Self.stderrClause(process.stderrTail.text) : message)
        }
        guard reply.header.type == type, reply.header.id == id else {
            throw abandon(
                during: during,
                "expected a '\(type)' reply to request \(id), got '\(reply.header.type)' for request \(reply.header.id.map(String.init) ?? "none")"
            )
        }
        return reply
    }

    private func itemErrors(
        _ header: ProtocolHeader, count: Int, reply: String
    ) throws(ProtocolViolation) -> [ProtocolHeader.ItemError?] {
        guard let errors = header.errors else { return Array(repeating: nil, count: count) }
        guard errors.count == count else {
            throw ProtocolViolation("'\(reply)' reply has \(errors.count) entries in \"errors\" for \(count) documents")
        }
        return errors
    }

    private func itemError(_ error: ProtocolHeader.ItemError) -> CodecError {
        CodecError(CodecError.Kind(rawValue: error.kind) ?? .pluginFailure, compressor: manifest.id, error.message)
    }

    /// Kills the process after a reply that cannot be trusted and describes the violation.
    private func abandon(during: String, _ message: String) -> CodecError {
        isUsable = false
        process.terminate()
        return Self.failure(manifest, during: during, "broke the protocol: \(message)", stderr: process.stderrTail.text)
    }

    private static func readReady(
        _ header: ProtocolHeader, requestedOptions: [String: String]
    ) throws(ProtocolViolation) -> PluginHandshake {
        if header.type == "error" {
            throw ProtocolViolation("it refused to start: \(header.message ?? "(no message)")")
        }
        guard header.type == "ready" else {
            throw ProtocolViolation("expected a 'ready' reply to 'hello', got '\(header.type)'")
        }
        guard let version = header.protocolVersion, version == ExternalProtocol.version else {
            throw ProtocolViolation(
                "it speaks protocol version \(header.protocolVersion.map(String.init) ?? "(none)"); this workbench speaks "
                    + "version \(ExternalProtocol.version) only. Update the plugin (see plugins/external/PROTOCOL.md) or the workbench"
            )
        }
        guard let alphabet = header.alphabetSize, alphabet >= 1, alphabet <= 1 << 32 else {
            throw ProtocolViolation(
                "'ready' needs \"alphabet_size\" between 1 and 2^32, got \(header.alphabetSize.map(String.init) ?? "none")")
        }
        guard let name = header.name, let pluginVersion = header.version else {
            throw ProtocolViolation("'ready' needs \"name\" and \"version\" strings")
        }
        let accepted = header.acceptedOptions ?? []
        for key in requestedOptions.keys.sorted() where !accepted.contains(key) {
            throw ProtocolViolation(
                "its manifest declares option '\(key)' but the plugin does not accept it (accepted_options: \(accepted))")
        }
        let passes = header.passesRawBytesThrough ?? false
        guard !passes || alphabet >= 256 else {
            throw ProtocolViolation("it passes raw bytes through but its alphabet (\(alphabet)) cannot hold them")
        }
        return PluginHandshake(
            name: name, version: pluginVersion, alphabetSize: alphabet, passesRawBytesThrough: passes,
            givesSpans: header.givesSpans ?? false, acceptedOptions: accepted)
    }

    /// The error every process-level failure becomes: which plugin, what happened, its stderr.
    static func failure(_ manifest: PluginManifest, during: String, _ what: String, stderr: String?) -> CodecError {
        CodecError(
            .pluginFailure, compressor: manifest.id,
            "external plugin '\(manifest.id)' (\(manifest.path)), during \(during): \(what)" + stderrClause(stderr))
    }

    static func stderrClause(_ stderr: String?) -> String {
        guard let stderr else { return "; it wrote nothing to stderr" }
        return "; its stderr ends with:\n" + stderr
    }
}
