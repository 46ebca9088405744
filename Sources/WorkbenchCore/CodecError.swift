/// Why a compressor could not encode or decode: thrown by every `Compressor`, never a trap.
public struct CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The family of failure, for callers that react differently to each.
    public enum Kind: String, Sendable, Codable {
        /// The input is not a valid stream of this compressor (bad header, checksum, bit flip).
        case corruptInput = "corrupt_input"
        /// The stream ends before the data it announces.
        case truncatedInput = "truncated_input"
        /// Decoding would produce more than `maxOutputBytes`.
        case outputLimitExceeded = "output_limit_exceeded"
        /// A symbol is not below the compressor's alphabet size.
        case symbolOutOfRange = "symbol_out_of_range"
        /// The stream was made by another compressor, options, model or format version.
        case incompatibleStream = "incompatible_stream"
        /// The linked library reported an error (out of memory, internal failure).
        case libraryFailure = "library_failure"
        /// A plugin process misbehaved, or a model or artifact is missing.
        case pluginFailure = "plugin_failure"
    }

    /// The family of failure.
    public var kind: Kind
    /// The id of the compressor that failed.
    public var compressor: String
    /// What happened, where, and what to do about it.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, compressor: String, _ message: String) {
        self.kind = kind
        self.compressor = compressor
        self.message = message
    }

    public var description: String { "\(compressor): \(message)" }
}
