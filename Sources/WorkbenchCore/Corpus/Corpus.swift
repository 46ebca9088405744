import Foundation

/// A corpus held in memory: every document of a JSONL file, a plain file or a directory.
///
/// It is read by `CorpusStream`, the one corpus reader, in a single pass that also fingerprints
/// the bytes; commands that must bound their memory use the stream directly.
public struct Corpus: Sendable {
    /// How to read a corpus.
    public struct ReadOptions: Sendable, Equatable, Codable {
        /// The JSON field holding each document's text (the reference code's format uses `text`).
        public var textField: String = "text"
        /// Skip and count lines that are not JSON or lack the field, instead of failing.
        public var skipBadLines: Bool = false
        /// For directories: which files to read (`fnmatch` pattern on the file name).
        public var glob: String = "*"

        /// Creates options.
        public init(textField: String = "text", skipBadLines: Bool = false, glob: String = "*") {
            self.textField = textField
            self.skipBadLines = skipBadLines
            self.glob = glob
        }

        enum CodingKeys: String, CodingKey {
            case textField = "text_field", skipBadLines = "skip_bad_lines", glob
        }
    }

    /// A short name for reports: the manifest's name, or the file name without extension.
    public var name: String
    /// The path it was read from.
    public var path: String
    /// SHA-256 of the file's bytes; for a directory, of the sorted lines `sha256  relative/path`.
    public var sha256: String
    /// Every document, in file order.
    public var documents: [CorpusDocument]
    /// JSONL lines skipped with `--skip-bad-lines`, each as `file:line: reason`.
    public var skippedLines: [String]
    /// The near-duplicate assignment its splits follow (nil: the exact rule).
    public var splitAssignment: SplitAssignment?

    /// Documents of one split.
    public func documents(in split: CorpusSplit) -> [CorpusDocument] {
        documents.filter { split.contains($0.split) }
    }

    /// The bytes of one split's documents, in corpus order (what trainers and evaluators take).
    public func bytes(in split: CorpusSplit) -> [[UInt8]] {
        documents.compactMap { split.contains($0.split) ? $0.bytes : nil }
    }

    /// Reads a corpus into memory.
    /// - Throws: `WorkbenchError` naming the path (and line) for a missing or unreadable path, a
    ///   bad JSONL line, or a corpus without documents.
    public static func load(path: String, options: ReadOptions = ReadOptions()) throws(WorkbenchError) -> Corpus {
        try load(try CorpusStream(path: path, options: options))
    }

    /// Reads a streamed corpus into memory, in one pass that also computes its fingerprint.
    /// - Throws: `WorkbenchError` for an unreadable file, a bad JSONL line (unless skipping), or a
    ///   corpus without documents.
    public static func load(_ stream: CorpusStream) throws(WorkbenchError) -> Corpus {
        var documents: [CorpusDocument] = []
        let survey = try stream.survey { documents.append($0) }
        return Corpus(
            name: stream.name, path: stream.path, sha256: survey.sha256, documents: documents,
            skippedLines: survey.skippedLines, splitAssignment: stream.splitAssignment)
    }

    /// This corpus with its documents assigned to splits by `rule` (the near-duplicate rule reads
    /// no file: it indexes the documents in memory).
    public func applying(_ rule: SplitRuleChoice) -> Corpus {
        guard rule == .nearDuplicate else { return self }
        var index = NearDuplicateIndex()
        var seen = Set<UInt64>()
        for document in documents where seen.insert(document.key).inserted { index.add(key: document.key, bytes: document.bytes) }
        let assignment = index.assignment()
        var corpus = self
        for position in corpus.documents.indices {
            corpus.documents[position].split = assignment.split(ofKey: corpus.documents[position].key)
        }
        corpus.splitAssignment = assignment
        return corpus
    }
}
