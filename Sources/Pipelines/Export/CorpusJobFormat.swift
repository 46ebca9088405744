import Foundation
import WorkbenchCore

/// What a corpus-wide command (`encode`, `export`) writes, independent of sharding: a main
/// output of per-document records, optionally a document index, then files made from the totals.
public protocol CorpusJobFormat: Sendable {
    /// The kind recorded in shard markers, which tells `merge` how to join shards:
    /// `encode`, `export-token-array`, `export-reference-jsonl`.
    var kind: String { get }
    /// The main output's suffix (`.jsonl`, `.bin`).
    var mainSuffix: String { get }
    /// Whether an `.idx` of document offsets (little-endian UInt64, in items) is written beside it.
    var writesIndex: Bool { get }
    /// Everything that determines the output bytes besides the shard (spec, corpus, split...);
    /// may wait for the corpus fingerprint.
    var job: String { get throws }
    /// One document's record; called from several threads at once.
    func record(_ document: CorpusDocument) throws -> DocumentRecord
    /// Files written after the main output (header, tokenizer), as `(suffix, bytes)`.
    func trailingFiles(counts: ShardCounts, shard: ShardHeader?) throws -> [(suffix: String, bytes: [UInt8])]
}
