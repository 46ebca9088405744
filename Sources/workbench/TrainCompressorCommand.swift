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
        let training = CompressorArtifactTraining(
            spec: spec, registry: try BuiltinsRegistry.shared, outputDirectory: outputDirectory, replacing: force)
        _ = try training.prepare()  // a bad spec or an occupied --out is refused before the corpus is read
        let (loadSpec, seconds) = try training.run(corpus: try corpusArguments.load()) { message in log.info("\(message)") }
        log.info(Logger.Message(stringLiteral: String(format: "trained in %.1f s", seconds)))
        print(loadSpec.description)
    }
}
