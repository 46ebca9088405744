/// A user-facing failure outside the codecs: bad arguments, unreadable files, bad records.
///
/// The message always says what, where (file, line, field) and what to do, because it is what
/// a researcher reads on the terminal.
public struct WorkbenchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message shown to the user.
    public var message: String
    /// True when the command line asked for something impossible (a bad option value), as
    /// opposed to a failure while doing what it asked: the CLI exits with 64 (usage) for these.
    public var isUsageError = false

    /// Creates an error with a complete message.
    public init(_ message: String) { self.message = message }

    /// An error in what the user asked for (exit status 64 in the CLI).
    public static func usage(_ message: String) -> WorkbenchError {
        var error = WorkbenchError(message)
        error.isUsageError = true
        return error
    }

    public var description: String { message }
}
