import WorkbenchCore

/// One started, handshaken plugin process and the request/reply exchanges over it.
///
/// Checks every reply against its request before believing it (counts, lengths, payload size,
/// alphabet, spans), because a plugin is arbitrary code: any mismatch is a `CodecError` of kind
/// `.pluginFailure` naming the plugin and quoting its stderr, and the process is not reused.
/// Not thread-safe; `PluginPool` gives each session to one caller at a time.
final class PluginSession {
    let manifest: PluginManifest
    let process: PluginProcess
    let handshake: PluginHandshake
    /// The option values this process was started with (its `hello`).
    let options: [String: String]
    /// Request ids count up from 1 (the handshake is 0), so a reply to an older request is caught.
    private var nextRequestID = 1
    /// False once an exchange failed; the pool then starts a fresh session.
    private(set) var isUsable = true

    /// Starts the plugin and performs the handshake.
    /// - Throws: `CodecError` (`.pluginFailure`) when it cannot start, does not answer, speaks
    ///   another protocol version or describes itself impossibly; `WorkbenchError.usage` when it
    ///   refuses the option values (`invalid_options`).
    init(manifest: PluginManifest, options: [String: String]) throws {
        self.manifest = manifest
        self.options = options
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
        if reply.header.type == "error" {
            // A refusal: the plugin is expected to exit; it is reaped either way.
            process.shutdown(graceSeconds: 0.5)
            let what = "it refused to start: \(reply.header.message ?? "(no message)")"
            if reply.header.kind == "invalid_options" {
                let shown = options.keys.sorted().map { "\($0)=\(options[$0] ?? "")" }.joined(separator: ",")
                throw WorkbenchError.usage(
                    "\(manifest.id): the options [\(shown)] were refused by external plugin '\(manifest.id)' "
                        + "(\(manifest.path)): \(reply.header.message ?? "(no message)")")
            }
            let kind = reply.header.kind.flatMap(CodecError.Kind.init(rawValue:)) ?? .pluginFailure
            throw CodecError(
                kind, compressor: manifest.id,
                "external plugin '\(manifest.id)' (\(manifest.path)), during the handshake: \(what)"
                    + Self.stderrClause(process.stderrTail.text))
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
    /// - Parameter position: where these documents sit in the caller's batch, for messages.
    /// - Throws: `CodecError` when the request as a whole failed (the session is then unusable,
    ///   except after an `error` reply, which leaves the plugin in step).
    func encode(
        _ documents: ArraySlice<[UInt8]>, position: BatchPosition
    ) throws(CodecError) -> [Result<EncodedDocument, CodecError>] {
        let documents = Array(documents)
        let during = "encode of \(position.documents(documents.count))"
        var request = ProtocolHeader(type: "encode", id: nextRequestID)
        request.lengths = documents.map { $0.count }
        var payload = [UInt8]()
        payload.reserveCapacity(documents.reduce(0) { $0 + $1.count })
        for document in documents { payload.append(contentsOf: document) }
        guard payload.count <= ExternalProtocol.maxPayloadBytes else {
            throw CodecError(
                .pluginFailure, compressor: manifest.id,
                "\(position.documents(documents.count)): \(payload.count) bytes are more than an external plugin frame can carry (1 GiB)"
            )
        }
        let reply = try exchange(request, payload: payload, expecting: "encoded", during: during)
        do {
            return try readEncoded(reply, documents: documents, position: position)
        } catch {
            throw abandon(during: during, error.message)
        }
    }

    private func readEncoded(
        _ reply: Frame, documents: [[UInt8]], position: BatchPosition
    ) throws(ProtocolViolation) -> [Result<EncodedDocument, CodecError>] {
        let header = reply.header
        let count = documents.count
        let counts = try Self.perDocument(header.counts, field: "counts", reply: "encoded", documents: count)
        let errors = try itemErrors(header, count: count, reply: "encoded")
        var spanCounts: [Int]?
        if handshake.givesSpans {
            spanCounts = try Self.perDocument(header.spanCounts, field: "span_counts", reply: "encoded", documents: count)
        } else if header.spanCounts != nil {
            throw ProtocolViolation("'encoded' reply has \"span_counts\" but the plugin said it gives no spans")
        }
        let width = handshake.symbolWidth.rawValue
        let symbols = Self.sum(counts)
        let spans = Self.sum(spanCounts ?? [])
        let symbolBytes = symbols.flatMap { Self.product($0, width) }
        let spanBytes = spans.flatMap { Self.product($0, 16) }
        guard let symbolBytes, let spanBytes, symbolBytes + spanBytes == reply.payload.count else {
            throw ProtocolViolation(
                "'encoded' payload is \(reply.payload.count) bytes, but its counts announce "
                    + "\(symbols.map(String.init) ?? "too many") symbols of \(width) byte\(width == 1 ? "" : "s") each"
                    + (spanCounts == nil ? "" : " and \(spans.map(String.init) ?? "too many") spans of 16 bytes")
                    + " (\(Self.expected(symbolBytes, spanBytes)))")
        }
        var results: [Result<EncodedDocument, CodecError>] = []
        results.reserveCapacity(count)
        var symbolOffset = 0
        var spanOffset = symbolBytes
        for index in 0..<count {
            // Named only when something is wrong: building the name of every document took 2.5 of
            // the 2.8 ms that reading a decode reply of 6,500 one-line documents took.
            func document() -> String { position.document(index, size: "\(documents[index].count) bytes") }
            let start = symbolOffset
            symbolOffset += counts[index] * width
            var spans: [SymbolSpan]?
            if let spanCounts {
                spans = try readSpans(spanCounts[index], from: reply.payload, at: spanOffset, document: document())
                spanOffset += spanCounts[index] * 16
            }
            if let errors, let error = errors[index] {
                results.append(.failure(itemError(error, during: "encode of \(document())")))
                continue
            }
            let encoded: EncodedDocument
            if handshake.symbolWidth == .one {
                // Bytes stay bytes, as in-tree byte codecs keep them: a quarter of the memory.
                encoded = EncodedDocument(bytes: Array(reply.payload[start..<symbolOffset]), spans: spans)
            } else {
                encoded = EncodedDocument(
                    symbols: handshake.symbolWidth.read(counts[index], from: reply.payload, at: start), spans: spans)
            }
            if let bad = encoded.firstSymbol(notBelow: handshake.alphabetSize) {
                throw ProtocolViolation(
                    "\(document()) encodes to symbol \(encoded.symbols[bad]) at index \(bad), "
                        + "not below the plugin's alphabet size \(handshake.alphabetSize)")
            }
            if let problem = encoded.spanProblem(documentByteCount: documents[index].count) {
                throw ProtocolViolation("the spans of \(document()) break the contract: \(problem)")
            }
            results.append(.success(encoded))
        }
        return results
    }

    /// Spans travel as four uint32 each: symbol start, symbol end, byte start, byte end.
    /// - Parameter document: the document's name, built only for a message.
    private func readSpans(
        _ count: Int, from payload: [UInt8], at offset: Int, document: @autoclosure () -> String
    ) throws(ProtocolViolation) -> [SymbolSpan] {
        let values = SymbolWidth.four.read(count * 4, from: payload, at: offset).map(Int.init)
        var spans: [SymbolSpan] = []
        spans.reserveCapacity(count)
        for index in 0..<count {
            let (s0, s1, b0, b1) = (values[4 * index], values[4 * index + 1], values[4 * index + 2], values[4 * index + 3])
            guard s0 <= s1, b0 <= b1 else {
                throw ProtocolViolation(
                    "the spans of \(document()) break the contract: span \(index) [symbols \(s0)..<\(s1), bytes \(b0)..<\(b1)] runs backwards"
                )
            }
            spans.append(SymbolSpan(symbols: s0..<s1, bytes: b0..<b1))
        }
        return spans
    }

    // MARK: Decode

    /// Decodes encodings in one request, each bounded by the bound at its place in `bounds`. The
    /// caller has checked every symbol is below the alphabet. Both are slices, so a caller sends
    /// part of its batch without copying it.
    /// - Throws: `CodecError` when the request as a whole failed (the session is then unusable,
    ///   except after an `error` reply).
    func decode(
        _ encodings: ArraySlice<EncodedDocument>, bounds: ArraySlice<Int>, position: BatchPosition
    ) throws(CodecError) -> [Result<[UInt8], CodecError>] {
        precondition(encodings.count == bounds.count, "one decode bound per encoding")
        let during = "decode of \(position.documents(encodings.count))"
        let width = handshake.symbolWidth
        var request = ProtocolHeader(type: "decode", id: nextRequestID)
        let counts = encodings.map { $0.symbolCount }
        request.counts = counts
        request.maxOutputBytes = bounds.map { max(0, $0) }
        var payload = [UInt8]()
        payload.reserveCapacity(counts.reduce(0, +) * width.rawValue)
        for encoded in encodings { width.append(encoded, to: &payload) }
        guard payload.count <= ExternalProtocol.maxPayloadBytes else {
            throw CodecError(
                .pluginFailure, compressor: manifest.id,
                "\(position.documents(encodings.count)): \(payload.count) bytes of symbols are more than an external plugin frame can carry (1 GiB)"
            )
        }
        let reply = try exchange(request, payload: payload, expecting: "decoded", during: during)
        let header = reply.header
        // Named only on failure, as in readEncoded.
        func document(_ index: Int) -> String { position.document(index, size: "\(counts[index]) symbols") }
        do throws(ProtocolViolation) {
            let lengths = try Self.perDocument(header.lengths, field: "lengths", reply: "decoded", documents: encodings.count)
            let errors = try itemErrors(header, count: encodings.count, reply: "decoded")
            guard let total = Self.sum(lengths), total == reply.payload.count else {
                throw ProtocolViolation(
                    "'decoded' payload is \(reply.payload.count) bytes, but its lengths add up to \(Self.sum(lengths).map(String.init) ?? "more than that")"
                )
            }
            var results: [Result<[UInt8], CodecError>] = []
            results.reserveCapacity(encodings.count)
            // Documents are copied out through a raw buffer: an array slice per document retains
            // and releases the payload's storage each time.
            reply.payload.withUnsafeBufferPointer { payload in
                var offset = 0
                for (index, (length, bound)) in zip(lengths, bounds).enumerated() {
                    defer { offset += length }
                    if let errors, let error = errors[index] {
                        results.append(.failure(itemError(error, during: "decode of \(document(index))")))
                    } else if length > max(0, bound) {
                        // The plugin ignored the bound; the answer is still "too big".
                        results.append(
                            .failure(
                                CodecError(
                                    .outputLimitExceeded, compressor: manifest.id,
                                    "\(document(index)): decoding produced \(length) bytes, more than the limit of \(bound)")))
                    } else {
                        results.append(.success(Array(UnsafeBufferPointer(rebasing: payload[offset..<(offset + length)]))))
                    }
                }
            }
            return results
        } catch {
            throw abandon(during: during, error.message)
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
            // An `error` answers the one request in flight: its id is that request's, or null
            // when the plugin could not read the request. Anything else is a stale reply.
            guard reply.header.id == nil || reply.header.id == id else {
                throw abandon(
                    during: during,
                    "expected a reply to request \(id), got an 'error' for request \(reply.header.id.map(String.init) ?? "none")")
            }
            // A structured refusal of the whole request: the plugin is still in step with the
            // protocol, so the session stays usable.
            let kind = reply.header.kind.flatMap(CodecError.Kind.init(rawValue:)) ?? .pluginFailure
            throw CodecError(
                kind, compressor: manifest.id,
                "external plugin '\(manifest.id)' (\(manifest.path)), during \(during): it refused the request "
                    + "(\(reply.header.kind ?? "no kind")): \(reply.header.message ?? "(no message)")"
                    + Self.stderrClause(process.stderrTail.text))
        }
        guard reply.header.type == type, reply.header.id == id else {
            throw abandon(
                during: during,
                "expected a '\(type)' reply to request \(id), got '\(reply.header.type)' for request \(reply.header.id.map(String.init) ?? "none")"
            )
        }
        return reply
    }

    /// A per-document array of a reply (`counts`, `lengths`, `span_counts`), checked for presence,
    /// length and sign; sizes are checked against the payload by the caller.
    private static func perDocument(
        _ values: [Int]?, field: String, reply: String, documents: Int
    ) throws(ProtocolViolation) -> [Int] {
        guard let values else {
            throw ProtocolViolation("'\(reply)' reply has no \"\(field)\"; it needs one per document (\(documents) documents)")
        }
        guard values.count == documents else {
            throw ProtocolViolation("'\(reply)' reply has \(values.count) entries in \"\(field)\" for \(documents) documents")
        }
        if let index = values.firstIndex(where: { $0 < 0 }) {
            throw ProtocolViolation("'\(reply)' reply has a negative \"\(field)\" entry (\(values[index])) for document \(index)")
        }
        return values
    }

    /// The sum of non-negative values, or nil when it overflows (a garbage count must not trap).
    private static func sum(_ values: [Int]) -> Int? {
        var total = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            if overflow { return nil }
            total = next
        }
        return total
    }

    private static func product(_ a: Int, _ b: Int) -> Int? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    private static func expected(_ symbolBytes: Int?, _ spanBytes: Int?) -> String {
        guard let symbolBytes, let spanBytes else { return "more bytes than a frame can hold" }
        let (total, overflow) = symbolBytes.addingReportingOverflow(spanBytes)
        return overflow ? "more bytes than a frame can hold" : "\(total) bytes"
    }

    /// A reply's per-document errors, checked for length; nil when it has none (the usual case,
    /// which then costs no array of thousands of nils to build and destroy).
    private func itemErrors(
        _ header: ProtocolHeader, count: Int, reply: String
    ) throws(ProtocolViolation) -> [ProtocolHeader.ItemError?]? {
        guard let errors = header.errors else { return nil }
        guard errors.count == count else {
            throw ProtocolViolation("'\(reply)' reply has \(errors.count) entries in \"errors\" for \(count) documents")
        }
        return errors
    }

    /// One document's failure, as the user reads it: which plugin, which document, what it said.
    private func itemError(_ error: ProtocolHeader.ItemError, during: String) -> CodecError {
        CodecError(
            CodecError.Kind(rawValue: error.kind) ?? .pluginFailure, compressor: manifest.id,
            "external plugin '\(manifest.id)' (\(manifest.path)), during \(during): \(error.message)"
                + Self.stderrClause(process.stderrTail.text))
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
        guard (header.libraryName == nil) == (header.libraryVersion == nil) else {
            throw ProtocolViolation(
                "'ready' gives one of \"library_name\" and \"library_version\" without the other; give both or neither")
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
            name: name, version: pluginVersion, libraryName: header.libraryName, libraryVersion: header.libraryVersion,
            alphabetSize: alphabet, passesRawBytesThrough: passes, givesSpans: header.givesSpans ?? false,
            acceptedOptions: accepted)
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
