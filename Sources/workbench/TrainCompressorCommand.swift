import ArgumentParser
import Builtins
import Foundation
import Logging
import Pipelines
import WorkbenchCore

/// `workbench train-compressor`: train a compressor that learns (bpe, ac) and save its artifact.
struct TrainCompressorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-compressor",
        abstract: "Train a compressor on a corpus's train split and save the artifact that loads it.",
        discussion: """
            Writes the artifact (for bpe a tokenizer.json) and training.json (corpus fingerprint, options, \
            wall time) into DIR atomically: training happens in a temporary folder that is renamed into place \
            when complete. Prints the spec that uses the artifact, e.g. bpe:tokenizer=DIR/tokenizer.json.
            Example: workbench train-compressor bpe --vocab 16384 --out artifacts/bpe16k
            """)

    @Argument(help: ArgumentHelp("The compressor spec, e.g. bpe or bpe:pretokenizer=none.", valueName: "spec"))
    var compressorSpec: String

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Vocabulary size (shorthand for the spec option vocab=N).")
    var vocab: Int?

    @Option(name: .customLong("out"), help: ArgumentHelp("Folder to write the artifact into.", valueName: "dir"))
    var outputDirectory: String

    @Flag(help: "Replace an existing artifact folder.")
    var force = false

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        var spec = try CompressorSpec(parsing: compressorSpec)
        if let vocab {
            guard spec.options["vocab"] == nil else { throw ValidationError("give vocab once: --vocab or vocab= in the spec") }
            spec.options["vocab"] = String(vocab)
        }
        let entry = try BuiltinsRegistry.shared.entry(for: spec.id)
        guard let trainer = entry.trainer else {
            let trainable = try BuiltinsRegistry.shared.entries.filter { $0.trainer != nil }.map(\.id)
            throw WorkbenchError(
                "'\(spec.id)' does not train; compressors that train: \(trainable.isEmpty ? "none yet" : trainable.joined(separator: ", "))"
            )
        }
        let options = try ResolvedOptions(spec.options, specs: entry.options, compressor: spec.id)
        let manager = FileManager.default
        if manager.fileExists(atPath: outputDirectory) {
            let contents = (try? manager.contentsOfDirectory(atPath: outputDirectory)) ?? []
            guard contents.isEmpty || force else {
                throw WorkbenchError("'\(outputDirectory)' already exists and is not empty; choose another --out or pass --force")
            }
        }
        let corpus = try corpusArguments.load()
        let documents = corpus.documents(in: .train).map(\.bytes)
        guard !documents.isEmpty else {
            throw WorkbenchError("the train split of '\(corpus.path)' is empty (\(corpus.documents.count) documents in all)")
        }
        // Beside the target (only trailing slashes dropped: an absolute --out stays absolute).
        var base = outputDirectory
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        let temporary = base + ".partial-\(getpid())"
        try? manager.removeItem(atPath: temporary)
        try SystemWrite.makeDirectory(temporary)
        log.info("training \(spec) on \(documents.count) documents of \(corpus.name)")
        let start = Clock.now
        let loadOptions: [String: String]
        do {
            loadOptions = try trainer.train(options, documents, temporary) { message in log.info("\(message)") }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
        let seconds = Clock.seconds(since: start)
        let finalOptions = loadOptions.mapValues { $0.replacingOccurrences(of: temporary, with: outputDirectory) }
        try AtomicFile.writeJSON(
            TrainingRecord(
                workbenchVersion: WorkbenchVersion.current, compressor: spec.id, options: options.values,
                corpus: corpus.path, corpusSHA256: corpus.sha256, split: "train", documents: documents.count,
                wallSeconds: seconds, loadSpec: CompressorSpec(id: spec.id, options: finalOptions).description),
            to: temporary + "/training.json")
        if manager.fileExists(atPath: outputDirectory) { try manager.removeItem(atPath: outputDirectory) }
        guard rename(temporary, base) == 0 else {
            let code = errno
            try? manager.removeItem(atPath: temporary)
            throw WorkbenchError(
                "cannot move the trained artifact into '\(outputDirectory)': \(SystemWrite.reason(code)); \(SystemWrite.remedy(code))"
            )
        }
        log.info(Logger.Message(stringLiteral: String(format: "trained in %.1f s", seconds)))
        print(CompressorSpec(id: spec.id, options: finalOptions).description)
    }
}

/// `training.json`: how an artifact was trained.
struct TrainingRecord: Codable {
    var workbenchVersion: String
    var compressor: String
    var options: [String: String]
    var corpus: String
    var corpusSHA256: String
    var split: String
    var documents: Int
    var wallSeconds: Double
    var loadSpec: String

    enum CodingKeys: String, CodingKey {
        case workbenchVersion = "workbench_version", compressor, options, corpus, corpusSHA256 = "corpus_sha256", split
        case documents, wallSeconds = "wall_seconds", loadSpec = "load_spec"
    }
}
