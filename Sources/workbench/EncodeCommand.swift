import ArgumentParser
import Builtins
import Foundation
import WorkbenchCore

/// `workbench encode`: symbols (and spans) of every document as JSON Lines, for inspection and reuse.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Write each document's symbols as JSON Lines.",
        discussion: """
            One line per document: {"source": "corpus.jsonl:12", "symbols": [...], "spans": [[start, end], ...]}. \
            A span [a, b] says which raw bytes the matching symbol (one per span, or the symbols between span \
            boundaries) covers; spans appear only for compressors that know them (bpe, ac, bytes), not zstd.
            """)

    @Option(name: .customLong("compressor"), help: ArgumentHelp("The compressor spec, e.g. bytepairs.", valueName: "spec"))
    var compressorSpec: String

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Which split of the corpus to encode.")
    var split: CorpusSplit = .all

    @Option(name: .customLong("in"), help: "Encode this one file instead of a corpus.")
    var input: String?

    @Option(name: .customLong("out"), help: "Output JSONL file, written atomically; standard output when omitted.")
    var output: String?

    func validate() throws {
        if input != nil && corpusArguments.corpus != nil {
            throw ValidationError("give either --in FILE or --corpus PATH, not both")
        }
    }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let spec = try CompressorSpec(parsing: compressorSpec)
        let documents: [CorpusDocument]
        let context: CompressorBuildContext
        if let input {
            documents = [CorpusDocument(bytes: try StandardStreams.read(input), source: input)]
            context = .withoutCorpus
        } else {
            let corpus = try corpusArguments.load()
            documents = corpus.documents(in: split)
            context = TrainingContext.make(corpus)
        }
        let compressor = try BuiltinsRegistry.shared.makeCompressor(spec, context: context)
        var text = ""
        for document in documents {
            text += JSONText.encodedLine(source: document.source, encoded: try compressor.encode(document.bytes))
            text += "\n"
        }
        try StandardStreams.write(Array(text.utf8), to: output)
        log.info("encoded \(documents.count) documents with \(compressor.descriptor.spec)")
    }
}
