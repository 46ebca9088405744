/// Where a shard sits in the corpus, recorded in its header (and dropped by `merge`).
public struct ShardHeader: Codable, Equatable, Sendable {
    /// This shard's rank.
    public var rank: Int
    /// How many shards share the corpus.
    public var worldSize: Int
    /// The first unit of the shard.
    public var unitLowerBound: Int
    /// One past its last unit.
    public var unitUpperBound: Int
    /// Units in the whole corpus.
    public var unitCount: Int
}
