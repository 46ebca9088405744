/// The split rules a corpus can be read with.
public enum SplitRuleChoice: String, Sendable, Codable, CaseIterable {
    /// A hash of each document's bytes alone: identical documents share a split.
    case exact
    /// Near-duplicate documents (MinHash over 64-byte shingles) share a split.
    case nearDuplicate = "near-duplicate"
}

/// What one pass over a corpus learns for its split: the fingerprint, every document's key and
/// size, and the near-duplicate index.
public struct SplitSurvey: Sendable {
    /// Fingerprint, units and skipped lines.
    public var survey: CorpusStream.Survey
    /// Every document's key and byte count, in corpus order.
    public var documents: [(key: UInt64, bytes: Int)]
    /// The near-duplicate index of the documents.
    public var index: NearDuplicateIndex

    /// The assignment of `rule` (nil for the exact rule).
    public func assignment(_ rule: SplitRuleChoice) -> SplitAssignment? {
        rule == .exact ? nil : index.assignment()
    }

    /// Documents and bytes per split under `assignment`, those of `measured` apart.
    public func counts(measured: CorpusSplit, assignment: SplitAssignment?) -> SplitCounts {
        var counts = SplitCounts()
        for document in documents {
            let split = assignment?.split(ofKey: document.key) ?? CorpusSplit.assign(key: document.key)
            counts.add(split: split, bytes: document.bytes, measured: measured)
        }
        return counts
    }
}

/// How much of the measured split's text also occurs, verbatim, in the train split.
public struct SplitOverlap: Sendable, Equatable, Codable {
    /// Share of the measured split's sampled 64-byte shingles that occur in the train split.
    public var share: Double
    /// Sampled shingles of the measured split.
    public var measuredShingles: Int
    /// How it was measured.
    public var method: String

    enum CodingKeys: String, CodingKey { case share, measuredShingles = "measured_shingles", method }
}

extension CorpusStream {
    /// One pass over every document: the fingerprint, each document's key and size, and the
    /// near-duplicate index (the split rule's input).
    /// - Throws: `WorkbenchError` for an unreadable corpus, a bad line (unless skipping), no documents.
    public func splitSurvey(threshold: Double = 0.5) throws(WorkbenchError) -> SplitSurvey {
        var index = NearDuplicateIndex(threshold: threshold)
        var documents: [(key: UInt64, bytes: Int)] = []
        var seen = Set<UInt64>()
        let survey = try survey { document in
            documents.append((document.key, document.bytes.count))
            if seen.insert(document.key).inserted { index.add(key: document.key, bytes: document.bytes) }
        }
        return SplitSurvey(survey: survey, documents: documents, index: index)
    }

    /// This stream read with `rule`: the exact rule, or the near-duplicate assignment computed by
    /// one pass over the corpus.
    /// - Throws: `WorkbenchError` for an unreadable corpus (near-duplicate rule only).
    public func withSplitRule(_ rule: SplitRuleChoice) throws(WorkbenchError) -> CorpusStream {
        var stream = self
        stream.splitAssignment = rule == .exact ? nil : try splitSurvey().index.assignment()
        return stream
    }

    /// The share of `measured`'s sampled 64-byte shingles that also occur in the train split
    /// (one pass; memory: the train split's sampled shingles, 8 bytes each, about a byte per byte
    /// of text).
    /// - Throws: `WorkbenchError` for an unreadable corpus or a bad line.
    public func overlap(measured: CorpusSplit) throws -> SplitOverlap {
        var train = Set<UInt64>()
        var measuredShingles: [[UInt64]] = []
        try forEachDocument(split: .all) { document in
            let shingles = NearDuplicateIndex.sampledShingles(document.bytes)
            if document.split == .train { train.formUnion(shingles) }
            if measured != .train && measured.contains(document.split) { measuredShingles.append(shingles) }
        }
        let total = measuredShingles.reduce(0) { $0 + $1.count }
        let shared = measuredShingles.reduce(0) { sum, shingles in sum + shingles.filter(train.contains).count }
        return SplitOverlap(
            share: total > 0 ? Double(shared) / Double(total) : 0, measuredShingles: total,
            method:
                "share of the \(measured.rawValue) split's 64-byte windows (content-sampled, 1 in \(NearDuplicateIndex.sampling)) that occur verbatim in the train split"
        )
    }
}
