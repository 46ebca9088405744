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
    /// Where a plugin reports progress on long work (training a model): one line at a time, a few
    /// seconds apart. The commands send it to standard error; the default drops it.
    public var log: @Sendable (String) -> Void = { _ in }

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
