/// What a plugin said about itself in its `ready` reply.
public struct PluginHandshake: Sendable, Equatable {
    /// The plugin's own name (e.g. "python-lzma").
    public var name: String
    /// The plugin's version (or its library's, when it gives no `library_version`).
    public var version: String
    /// The library the plugin wraps, when it says (`library_name`).
    public var libraryName: String?
    /// That library's run-time version, when it says (`library_version`).
    public var libraryVersion: String?
    /// Every symbol is below this.
    public var alphabetSize: Int
    /// Symbols 0..255 may be raw bytes passed through.
    public var passesRawBytesThrough: Bool
    /// Encode replies carry spans.
    public var givesSpans: Bool
    /// The option names the plugin accepts.
    public var acceptedOptions: [String]

    /// What `workbench plugins` and the descriptor report as the library: the wrapped library
    /// when the plugin names one, else the plugin itself.
    public var reportedLibrary: (name: String, version: String) {
        (libraryName ?? name, libraryVersion ?? version)
    }

    /// The payload width of one symbol.
    var symbolWidth: SymbolWidth { SymbolWidth(alphabetSize: alphabetSize) }
}
