/// The JSON header of one frame of the external-plugin protocol (plugins/external/PROTOCOL.md).
///
/// Every message shares this one shape; `type` says which fields are present. One flat struct
/// rather than an enum of payloads because a plugin in any language writes plain JSON objects,
/// and a field that is missing or of the wrong type must become a clear protocol error, not a
/// decoding trap. Unknown fields are ignored, so later minor revisions can add fields. Written and
/// read by hand (`ProtocolHeader+JSON.swift`): a batch's header holds a number per document.
struct ProtocolHeader: Sendable, Equatable {
    /// `hello`, `ready`, `encode`, `encoded`, `decode`, `decoded`, `error`, `shutdown`.
    var type: String
    /// Request number, echoed by the reply, so a stale reply is never taken for a fresh one.
    var id: Int?

    // MARK: hello (host to plugin) and ready (plugin to host)

    /// The protocol version the sender speaks.
    var protocolVersion: Int?
    /// hello: the compressor id the manifest gives this plugin.
    var compressor: String?
    /// hello: resolved option values, keyed by option name.
    var options: [String: String]?
    /// ready: option names the plugin accepts.
    var acceptedOptions: [String]?
    /// ready: the plugin's own name (e.g. "python-lzma").
    var name: String?
    /// ready: the plugin's version, or the version of the library it wraps.
    var version: String?
    /// ready, optional: the library the plugin wraps (e.g. "liblzma"); reported instead of `name`.
    var libraryName: String?
    /// ready, optional: that library's run-time version; reported instead of `version`.
    var libraryVersion: String?
    /// ready: every symbol is below this.
    var alphabetSize: Int?
    /// ready: symbols 0..255 may be raw bytes passed through.
    var passesRawBytesThrough: Bool?
    /// ready: encode replies carry spans.
    var givesSpans: Bool?

    // MARK: encode / encoded / decode / decoded

    /// encode: byte length of each document in the payload; decoded: byte length of each result.
    var lengths: [Int]?
    /// encoded and decode: symbol count of each document in the payload.
    var counts: [Int]?
    /// encoded: number of spans of each document (spans follow the symbols in the payload).
    var spanCounts: [Int]?
    /// decode: the output bound of each document.
    var maxOutputBytes: [Int]?
    /// encoded and decoded: per-document failures, null where the document succeeded.
    var errors: [ItemError?]?

    // MARK: error

    /// error: a `CodecError.Kind` raw value (`corrupt_input`, ...), `plugin_failure`, or in answer
    /// to `hello` `invalid_options` (the option values are refused: a usage error).
    var kind: String?
    /// error: what went wrong, for the user.
    var message: String?

    init(type: String, id: Int? = nil) {
        self.type = type
        self.id = id
    }

    /// One document's failure inside a batch reply.
    struct ItemError: Sendable, Equatable {
        /// A `CodecError.Kind` raw value; anything else is reported as `plugin_failure`.
        var kind: String
        /// What went wrong with this document.
        var message: String
    }
}
