/// The protocol versions this host speaks. A plugin that answers with any other is refused.
public enum ExternalProtocol {
    /// The version described in plugins/external/PROTOCOL.md.
    public static let version = 1
    /// Frames larger than this are refused, so a garbage length cannot make the host allocate
    /// gigabytes: the header is small JSON, and payloads are bounded by the host's batching.
    static let maxHeaderBytes = 16 << 20
    /// The largest payload a plugin may send in one frame (1 GiB).
    static let maxPayloadBytes = 1 << 30
}
