import Foundation

/// `corpora/MANIFEST.json`: what each shipped corpus is, where it came from, and its fingerprint.
public struct CorpusManifest: Sendable, Codable {
    /// One shipped corpus.
    public struct Entry: Sendable, Codable {
        /// Short name used in reports (`cpython-stdlib`).
        public var name: String
        /// The JSONL file beside the manifest.
        public var file: String
        /// Where the text comes from.
        public var source: String
        /// The licence of the text, and the file holding it.
        public var licence: String
        /// Number of documents.
        public var documents: Int
        /// Total UTF-8 bytes of all documents' text.
        public var bytes: Int
        /// SHA-256 of the JSONL file.
        public var sha256: String
        /// How documents are split (CorpusSplit.ruleDescription).
        public var splitRule: String
        /// Documents and bytes per split.
        public var splits: [String: SplitCount]
        /// Counts under the exact rule (computed by the generator script, independently).
        public var exactSplits: [String: SplitCount]?
        /// The exact rule in words.
        public var exactSplitRule: String?

        enum CodingKeys: String, CodingKey {
            case name, file, source, licence, documents, bytes, sha256, splitRule = "split_rule", splits
            case exactSplits = "exact_splits", exactSplitRule = "exact_split_rule"
        }
    }

    /// Documents and bytes in one split.
    public struct SplitCount: Sendable, Codable, Equatable {
        /// Number of documents.
        public var documents: Int
        /// Total bytes.
        public var bytes: Int
    }

    /// Format marker, checked on load.
    public var schema: String
    /// Every shipped corpus.
    public var corpora: [Entry]

    /// The schema this code reads.
    public static let currentSchema = "workbench.corpora/1"

    /// Reads and checks a manifest.
    public static func load(from path: String) throws -> CorpusManifest {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let manifest = try JSONDecoder().decode(CorpusManifest.self, from: data)
        guard manifest.schema == currentSchema else {
            throw WorkbenchError("\(path): schema '\(manifest.schema)' is not '\(currentSchema)'")
        }
        return manifest
    }
}
