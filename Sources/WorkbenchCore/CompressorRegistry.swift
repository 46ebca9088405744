/// What a plugin factory may need besides its options: the corpus to train on, where to cache.
public struct CompressorBuildContext: Sendable {
    /// Documents of the training split, read only when a plugin asks (zstd dictionaries, BPE).
    public var trainingDocuments: @Sendable () throws -> [[UInt8]]
    /// A stable key for the training data (the corpus SHA-256 and split rule); trained artifacts
    /// are cached under it so a rerun on the same corpus does not train again. Computed on first
    /// read when the context was made with `lazyTrainingCorpusKey`.
    public var trainingCorpusKey: String? {
        get { corpusKey() }
        set { corpusKey = { newValue } }
    }
    private var corpusKey: @Sendable () -> String?
    /// Where trained artifacts are cached, or nil to keep them in memory only. A plugin caches
    /// under `<this>/<id>/<cacheKey(...)>/`, so a rerun on the same corpus and options reuses it.
    public var artifactCacheDirectory: String?
    /// Called by a plugin with the folder of the artifact it trained or loaded, so a comparison can
    /// copy it into its run directory (the run then holds everything that produced its numbers).
    public var recordArtifact: @Sendable (_ compressorID: String, _ directory: String) -> Void

    /// Creates a context.
    public init(
        trainingDocuments: @escaping @Sendable () throws -> [[UInt8]],
        trainingCorpusKey: String?, artifactCacheDirectory: String?,
        recordArtifact: @escaping @Sendable (String, String) -> Void = { _, _ in }
    ) {
        self.trainingDocuments = trainingDocuments
        self.corpusKey = { trainingCorpusKey }
        self.artifactCacheDirectory = artifactCacheDirectory
        self.recordArtifact = recordArtifact
    }

    /// Creates a context whose corpus key is computed only if a plugin reads it (the corpus
    /// fingerprint reads the whole corpus; a compressor given its artifact never needs it).
    public init(
        trainingDocuments: @escaping @Sendable () throws -> [[UInt8]],
        lazyTrainingCorpusKey: @escaping @Sendable () -> String?, artifactCacheDirectory: String?,
        recordArtifact: @escaping @Sendable (String, String) -> Void = { _, _ in }
    ) {
        self.trainingDocuments = trainingDocuments
        self.corpusKey = lazyTrainingCorpusKey
        self.artifactCacheDirectory = artifactCacheDirectory
        self.recordArtifact = recordArtifact
    }

    /// The cache folder for an artifact trained with `options` on this context's corpus, or nil
    /// when there is no cache or no corpus key. The key is a hash of corpus key, id and options.
    public func cacheDirectory(compressorID: String, options: ResolvedOptions) -> String? {
        guard let root = artifactCacheDirectory, let corpusKey = trainingCorpusKey else { return nil }
        let optionText = options.values.keys.sorted().map { "\($0)=\(options.values[$0] ?? "")" }.joined(separator: ",")
        let key = SHA256.hexDigest(Array("\(corpusKey)|\(compressorID)|\(optionText)".utf8)).prefix(16)
        return "\(root)/\(compressorID)/\(key)"
    }

    /// A context without a corpus: plugins that need training refuse with a clear error.
    public static let withoutCorpus = CompressorBuildContext(
        trainingDocuments: {
            throw WorkbenchError("this compressor needs a training corpus; pass --corpus PATH")
        }, trainingCorpusKey: nil, artifactCacheDirectory: nil)
}

/// How a trainable compressor (bpe, ac) turns a corpus into a saved artifact.
public struct CompressorTrainer: Sendable {
    /// Trains on `documents` with validated options, writes the artifact into `directory` (created
    /// by the caller, empty), and returns the spec options that load it, e.g.
    /// `["tokenizer": "<directory>/tokenizer.json"]`. Progress goes to `log`.
    public var train: @Sendable (
        _ options: ResolvedOptions, _ documents: [[UInt8]], _ directory: String, _ log: @Sendable (String) -> Void
    ) throws -> [String: String]

    /// Creates a trainer.
    public init(
        train: @escaping @Sendable (ResolvedOptions, [[UInt8]], String, @Sendable (String) -> Void) throws -> [String: String]
    ) {
        self.train = train
    }
}

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

/// The table of compressors a workbench knows, looked up by id.
public struct CompressorRegistry: Sendable {
    /// Rows in display order.
    public private(set) var entries: [CompressorEntry]
    /// Ids of compressors that were found but cannot be used (a broken plugin manifest), with why.
    /// Asking for one fails with its reason; every other compressor stays usable.
    public private(set) var unavailable: [String: String]

    /// Creates a registry.
    /// - Parameter unavailable: ids that are known but unusable, each with the reason a request
    ///   for it fails with (an id that also has a row is served by the row).
    /// - Precondition: ids are unique (a programming error in the Builtins table otherwise).
    public init(_ entries: [CompressorEntry], unavailable: [String: String] = [:]) {
        precondition(Set(entries.map(\.id)).count == entries.count, "duplicate compressor id in registry")
        self.entries = entries
        self.unavailable = unavailable
    }

    /// Every id, in table order.
    public var ids: [String] { entries.map(\.id) }

    /// The row for an id.
    /// - Throws: `WorkbenchError` with the reason for an unavailable id, else listing the known ids.
    public func entry(for id: String) throws(WorkbenchError) -> CompressorEntry {
        guard let entry = entries.first(where: { $0.id == id }) else {
            if let reason = unavailable[id] { throw WorkbenchError("compressor '\(id)' cannot be used: \(reason)") }
            throw WorkbenchError("unknown compressor '\(id)'; known compressors: \(ids.joined(separator: ", "))")
        }
        return entry
    }

    /// Builds the compressor a spec names.
    /// - Throws: `WorkbenchError` for an unknown id or bad option; whatever the factory throws.
    public func makeCompressor(_ spec: CompressorSpec, context: CompressorBuildContext = .withoutCorpus) throws -> any Compressor {
        let entry = try entry(for: spec.id)
        let options = try ResolvedOptions(spec.options, specs: entry.options, compressor: spec.id)
        return try entry.make(options, context)
    }

    /// Parses a comma list of bare ids (`ac,bpe,zstd`) into specs with default options.
    public static func parseIDList(_ list: String) throws(WorkbenchError) -> [CompressorSpec] {
        var specs: [CompressorSpec] = []
        for part in list.split(separator: ",") {
            let spec = try CompressorSpec(parsing: String(part))
            guard spec.options.isEmpty else {
                throw WorkbenchError("--compressors takes bare ids; pass '\(part)' with --compressor SPEC instead")
            }
            specs.append(spec)
        }
        return specs
    }
}
