/// A user-facing failure outside the codecs: bad arguments, unreadable files, bad records.
///
/// The message always says what, where (file, line, field) and what to do, because it is what
/// a researcher reads on the terminal.
public struct WorkbenchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message shown to the user.
    public var message: String

    /// Creates an error with a complete message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
