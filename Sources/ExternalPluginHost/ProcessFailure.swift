/// Why a plugin process stopped serving a request. Internal: the session turns it into a
/// `CodecError` that names the plugin and quotes its stderr.
enum ProcessFailure: Error, Sendable {
    /// posix_spawn refused (no such file, not executable).
    case couldNotStart(String)
    /// No complete reply within the manifest's timeout; the process was killed and reaped.
    case timedOut(seconds: Double)
    /// The plugin closed its standard output, usually by exiting; `status` says how it ended.
    case exited(status: String)
    /// The bytes on standard output are not protocol frames.
    case protocolViolation(String)

    /// One clause for an error message: "exited with status 3", "timed out after 2 s", ...
    var explanation: String {
        switch self {
        case .couldNotStart(let reason): return "could not be started: \(reason)"
        case .timedOut(let seconds):
            let shown = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
            return "did not answer within its timeout of \(shown) s (timeout_seconds in plugin.json), so it was killed"
        case .exited(let status): return "stopped before answering: it \(status)"
        case .protocolViolation(let message): return "broke the protocol: \(message)"
        }
    }
}
