/// One row of the plugin table: how to describe and build one compressor.
public struct CompressorEntry: Sendable {
    /// The CLI id.
    public var id: String
    /// Human-readable name.
    public var displayName: String
    /// One line on what it is and why a researcher would compare it.
    public var summary: String
    /// The options it accepts, with defaults.
    public var options: [OptionSpec]
    /// The linked library and its run-time version, for `workbench plugins` (nil when pure Swift).
    public var library: @Sendable () -> (name: String, version: String)?
    /// Option sets the conformance suite runs besides the defaults (e.g. `["container": "raw"]`),
    /// so every code path a user can select is held to the same contract.
    public var conformanceOptions: [[String: String]]
    /// For compressors that learn from a corpus: how `workbench train-compressor` trains one.
    public var trainer: CompressorTrainer?
    /// Builds the compressor from validated options.
    public var make: @Sendable (ResolvedOptions, CompressorBuildContext) throws -> any Compressor

    /// Creates a row.
    public init(
        id: String, displayName: String, summary: String, options: [OptionSpec] = [],
        library: @escaping @Sendable () -> (name: String, version: String)? = { nil },
        conformanceOptions: [[String: String]] = [],
        trainer: CompressorTrainer? = nil,
        make: @escaping @Sendable (ResolvedOptions, CompressorBuildContext) throws -> any Compressor
    ) {
        self.id = id
        self.displayName = displayName
        self.summary = summary
        self.options = options
        self.library = library
        self.conformanceOptions = conformanceOptions
        self.trainer = trainer
        self.make = make
    }
}
