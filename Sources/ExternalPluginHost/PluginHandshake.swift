/// What a plugin said about itself in its `ready` reply.
public struct PluginHandshake: Sendable, Equatable {
    /// The plugin's own name (e.g. "python-lzma"), reported as the descriptor's library name.
    public var name: String
    /// The plugin's version or its library's, reported as the descriptor's library version.
    public var version: String
    /// Every symbol is below this.
    public var alphabetSize: Int
    /// Symbols 0..255 may be raw bytes passed through.
    public var passesRawBytesThrough: Bool
    /// Encode replies carry spans.
    public var givesSpans: Bool
    /// The option names the plugin accepts.
    public var acceptedOptions: [String]

    /// The payload width of one symbol.
    var symbolWidth: SymbolWidth { SymbolWidth(alphabetSize: alphabetSize) }
}
