/// A proxy-training failure: a config that cannot run, a bad checkpoint, a diverged loss.
public struct ProxyTrainerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What happened and what to do.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
