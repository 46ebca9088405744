/// The plugin broke the protocol: garbage bytes, a malformed header, a reply that does not fit
/// its request. Internal: surfaces as a `CodecError` naming the plugin.
struct ProtocolViolation: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
