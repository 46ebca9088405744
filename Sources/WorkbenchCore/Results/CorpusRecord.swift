/// Which documents a comparison measured.
public struct CorpusRecord: Sendable, Codable, Equatable {
    /// Corpus name (manifest name or file name).
    public var name: String
    /// Path as given.
    public var path: String
    /// SHA-256 of the corpus file (see `Corpus.sha256`).
    public var sha256: String
    /// The split measured: train, valid, test or all.
    public var split: String
    /// The split rule in words.
    public var splitRule: String
    /// Documents in the measured split.
    public var documents: Int
    /// Bytes in the measured split.
    public var bytes: Int
    /// Bad JSONL lines skipped with `--skip-bad-lines`.
    public var skippedBadLines: Int
    /// Clusters of near-duplicate documents kept in one split (near-duplicate rule).
    public var nearDuplicateClusters: Int?
    /// Documents in those clusters.
    public var nearDuplicateDocuments: Int?
    /// How much of the measured split's text also occurs in the train split.
    public var trainOverlap: SplitOverlap?

    /// Creates a record.
    public init(
        name: String, path: String, sha256: String, split: String, splitRule: String, documents: Int,
        bytes: Int, skippedBadLines: Int
    ) {
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.split = split
        self.splitRule = splitRule
        self.documents = documents
        self.bytes = bytes
        self.skippedBadLines = skippedBadLines
    }

    enum CodingKeys: String, CodingKey {
        case name, path, sha256, split, splitRule = "split_rule", documents, bytes
        case skippedBadLines = "skipped_bad_lines", nearDuplicateClusters = "near_duplicate_clusters"
        case nearDuplicateDocuments = "near_duplicate_documents", trainOverlap = "train_overlap"
    }
}
