import ArgumentParser
import Pipelines
import WorkbenchCore

/// `workbench compress`: one file into a self-describing symbol container.
struct CompressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress",
        abstract: "Compress one file (default standard input) into a workbench container.",
        discussion: """
            The container records the compressor spec, alphabet size, symbol count, original length and a \
            CRC-32, so `workbench decompress` needs no options. Compressors that train (zstd:dict=SIZE) train \
            on the train split of --corpus.
            """)

    @Option(name: .customLong("compressor"), help: ArgumentHelp("The compressor spec, e.g. zstd:level=19.", valueName: "spec"))
    var compressorSpec: String

    @Option(name: .customLong("in"), help: "Input file; standard input when omitted or '-'.")
    var input: String?

    @Option(name: .customLong("out"), help: "Output file, written atomically; standard output when omitted or '-'.")
    var output: String?

    @OptionGroup(title: "Training corpus (only for compressors that train)")
    var corpusArguments: CorpusArguments

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let spec = try CompressorSpec(parsing: compressorSpec)
        let compressor = try BuiltinsRegistry.shared.makeCompressor(spec, context: try corpusArguments.trainingContextIfGiven())
        let document = try StandardStreams.read(input)
        let encoded = try compressor.encode(document)
        let container = try SymbolContainer(
            spec: compressor.descriptor.spec.description, alphabetSize: compressor.descriptor.alphabetSize,
            symbols: encoded.symbols, originalByteCount: document.count)
        try StandardStreams.write(container.serialized(), to: output, what: "the container")
    }
}
