/// Which split each document goes to when the rule is more than a hash of the document alone:
/// documents that are near-duplicates of each other (by `NearDuplicateIndex`) share one split, so
/// a near-copy of a training file cannot sit in the measured split.
///
/// A cluster of near-duplicates takes the exact rule's split of its member with the smallest key,
/// so the assignment depends on the documents, not on their order. Only documents whose split
/// changes are stored.
public struct SplitAssignment: Sendable, Equatable, Codable {
    /// The rule, in words (recorded in results and manifests).
    public var rule: String
    /// Document key -> split, for the documents the exact rule would put elsewhere.
    public var overrides: [UInt64: CorpusSplit]
    /// Clusters of two or more near-duplicate documents.
    public var clusters: Int
    /// Documents in those clusters.
    public var clusteredDocuments: Int

    /// Creates an assignment.
    public init(rule: String, overrides: [UInt64: CorpusSplit], clusters: Int, clusteredDocuments: Int) {
        self.rule = rule
        self.overrides = overrides
        self.clusters = clusters
        self.clusteredDocuments = clusteredDocuments
    }

    /// The split of a document key under this assignment.
    public func split(ofKey key: UInt64) -> CorpusSplit { overrides[key] ?? CorpusSplit.assign(key: key) }

    enum CodingKeys: String, CodingKey {
        case rule, overrides, clusters, clusteredDocuments = "clustered_documents"
    }
}
