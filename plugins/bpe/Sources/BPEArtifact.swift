import Foundation
import WorkbenchCore

/// A trained tokenizer on disk: `tokenizer.json` (HuggingFace format, what loads it) beside
/// `bpe.json` (our format name and version, and how it was trained).
public enum BPEArtifact {
    /// The format name written to `bpe.json` and checked before a cached artifact is reused.
    public static let formatName = "workbench.bpe"
    /// Bumped whenever training would give different merges for the same options.
    public static let formatVersion = 1

    /// What `bpe.json` records.
    public struct Metadata: Codable, Equatable, Sendable {
        public var format: String
        public var formatVersion: Int
        public var requestedVocabularySize: Int
        public var vocabularySize: Int
        public var merges: Int
        public var preTokenizer: String
        public var trainingDocuments: Int
        public var trainingBytes: Int
        public var tieBreak: String

        enum CodingKeys: String, CodingKey {
            case format, formatVersion = "format_version", requestedVocabularySize = "requested_vocab"
            case vocabularySize = "vocab_size", merges, preTokenizer = "pretokenizer"
            case trainingDocuments = "training_documents", trainingBytes = "training_bytes", tieBreak = "tie_break"
        }
    }

    /// Trains and writes `tokenizer.json` and `bpe.json` into `directory` (created if needed).
    /// - Returns: the model and the tokenizer.json path.
    public static func train(
        vocabularySize: Int, preTokenizer: PreTokenizer, documents: [[UInt8]], directory: String,
        log: (String) -> Void = { _ in }
    ) throws(WorkbenchError) -> (BPEModel, String) {
        let model = try BPETrainer(vocabularySize: vocabularySize, preTokenizer: preTokenizer).train(documents, log: log)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WorkbenchError("bpe: cannot create '\(directory)': \(error.localizedDescription)")
        }
        let path = directory + "/tokenizer.json"
        try TokenizerJSON.save(model, to: path)
        let metadata = Metadata(
            format: formatName, formatVersion: formatVersion, requestedVocabularySize: vocabularySize,
            vocabularySize: model.vocabularySize, merges: model.merges.count, preTokenizer: preTokenizer.rawValue,
            trainingDocuments: documents.count, trainingBytes: documents.reduce(0) { $0 + $1.count },
            tieBreak: "highest count, then smallest (left id, right id); ids 0..<256 in ByteLevel code-point order")
        try AtomicFile.writeJSON(metadata, to: directory + "/bpe.json")
        return (model, path)
    }

    /// The model cached in `directory`, or nil when absent or written by another format version.
    public static func cached(in directory: String) -> BPEModel? {
        guard let data = FileManager.default.contents(atPath: directory + "/bpe.json"),
            let metadata = try? JSONDecoder().decode(Metadata.self, from: data),
            metadata.format == formatName, metadata.formatVersion == formatVersion
        else { return nil }
        return try? TokenizerJSON.load(path: directory + "/tokenizer.json")
    }
}
