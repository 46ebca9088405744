import Foundation
import WorkbenchCore

/// The registry row for `bpe`: byte-level BPE, trained on the comparison's training split (and
/// cached) or loaded from a HuggingFace tokenizer.json.
public enum BPEPlugin {
    /// Default vocabulary: 4,096 tokens, the size the paper's proxy experiments use.
    public static let defaultVocabularySize = 4096

    /// The options `bpe` accepts.
    public static let options: [OptionSpec] = [
        OptionSpec(
            "vocab", .integer(257...1_000_000), default: String(defaultVocabularySize),
            help: "tokens including the 256 bytes (as=bytes and as=gray need at most 65536)"),
        OptionSpec(
            "pretokenizer", .choice(PreTokenizer.allCases.map(\.rawValue)), default: PreTokenizer.gpt2.rawValue,
            help: "how documents are cut into words before BPE: none (whole document), gpt2, gpt4 (cl100k), whitespace"),
        OptionSpec(
            "as", .choice(BPERepresentation.allCases.map(\.rawValue)), default: BPERepresentation.ids.rawValue,
            help:
                "symbols: ids (alphabet = vocab), bytes (2 big-endian bytes per id), gray (Gray-coded byte-order rank in 2 bytes)"
        ),
        OptionSpec(
            "tokenizer", .text, default: nil,
            help: "path to a HuggingFace tokenizer.json to load instead of training (vocab and pretokenizer come from it)"),
    ]

    /// The row for the Builtins table.
    public static let entry = CompressorEntry(
        id: "bpe", displayName: "Byte-level BPE",
        summary: "byte-level BPE tokenizer (trained on the training split, or a HuggingFace tokenizer.json); the classic proxy",
        options: options,
        conformanceOptions: [
            ["vocab": "300"],
            ["vocab": "300", "as": "bytes"],
            ["vocab": "300", "as": "gray"],
            ["vocab": "300", "pretokenizer": "none"],
            ["vocab": "300", "pretokenizer": "gpt4"],
            ["vocab": "300", "pretokenizer": "whitespace"],
        ],
        trainer: CompressorTrainer { options, documents, directory, log in
            let (vocabulary, preTokenizer) = try trainingSettings(options)
            let (_, path) = try BPEArtifact.train(
                vocabularySize: vocabulary, preTokenizer: preTokenizer, documents: documents, directory: directory,
                log: log)
            return ["tokenizer": path]
        },
        make: { options, context in try make(options, context) })

    static func trainingSettings(_ options: ResolvedOptions) throws(WorkbenchError) -> (Int, PreTokenizer) {
        let vocabulary = options.integer("vocab") ?? defaultVocabularySize
        let name = options.text("pretokenizer") ?? PreTokenizer.gpt2.rawValue
        guard let preTokenizer = PreTokenizer(rawValue: name) else {
            throw WorkbenchError("bpe: unknown pretokenizer '\(name)'")
        }
        return (vocabulary, preTokenizer)
    }

    static func make(_ options: ResolvedOptions, _ context: CompressorBuildContext) throws -> any Compressor {
        let representationName = options.text("as") ?? BPERepresentation.ids.rawValue
        guard let representation = BPERepresentation(rawValue: representationName) else {
            throw WorkbenchError("bpe: unknown representation as=\(representationName)")
        }
        if let path = options.text("tokenizer") {
            let model = try TokenizerJSON.load(path: path)
            let shown = [
                "tokenizer": path, "as": representation.rawValue, "vocab": String(model.vocabularySize),
                "pretokenizer": model.preTokenizer.rawValue,
            ]
            return try BPECompressor(tokenizer: BPETokenizer(model: model), representation: representation, options: shown)
        }
        let (vocabulary, preTokenizer) = try trainingSettings(options)
        // The cache key leaves out `as`: every representation reads the same trained tokenizer.
        let trainingOptions = ResolvedOptions(values: ["vocab": String(vocabulary), "pretokenizer": preTokenizer.rawValue])
        let tokenizer: BPETokenizer
        if let directory = context.cacheDirectory(compressorID: "bpe", options: trainingOptions) {
            let model: BPEModel
            if let cached = BPEArtifact.cached(in: directory) {
                model = cached
            } else {
                let documents = try context.trainingDocuments()
                (model, _) = try BPEArtifact.train(
                    vocabularySize: vocabulary, preTokenizer: preTokenizer, documents: documents, directory: directory)
            }
            context.recordArtifact("bpe", directory)
            tokenizer = BPETokenizer(model: model)
        } else {
            let documents = try context.trainingDocuments()
            let key = "\(vocabulary)/\(preTokenizer.rawValue)/\(TrainedTokenizerMemo.fingerprint(documents))"
            tokenizer = try TrainedTokenizerMemo.shared.tokenizer(key: key) {
                let model = try BPETrainer(vocabularySize: vocabulary, preTokenizer: preTokenizer).train(documents)
                return BPETokenizer(model: model)
            }
        }
        let shown = ["vocab": String(vocabulary), "pretokenizer": preTokenizer.rawValue, "as": representation.rawValue]
        return try BPECompressor(tokenizer: tokenizer, representation: representation, options: shown)
    }
}
