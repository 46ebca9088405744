import ArgumentParser
import Pipelines
import WorkbenchCore

/// `workbench decompress`: a container back into the original bytes.
struct DecompressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decompress",
        abstract: "Restore a file from a workbench container (default standard input to standard output).",
        discussion: """
            The compressor is read from the container. With --compressor, the container must have been made by \
            exactly that spec (options resolved), otherwise decompress refuses and says which spec made it.
            """)

    @Option(name: .customLong("compressor"), help: ArgumentHelp("Expected compressor spec (optional).", valueName: "spec"))
    var compressorSpec: String?

    @Option(name: .customLong("in"), help: "Container file; standard input when omitted or '-'.")
    var input: String?

    @Option(name: .customLong("out"), help: "Output file, written atomically; standard output when omitted or '-'.")
    var output: String?

    @OptionGroup(title: "Training corpus (only for compressors that train)")
    var corpusArguments: CorpusArguments

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let container = try SymbolContainer(parsing: try StandardStreams.read(input))
        let madeBy = try CompressorSpec(parsing: container.spec)
        let context = try corpusArguments.trainingContextIfGiven()
        let compressor = try BuiltinsRegistry.shared.makeCompressor(madeBy, context: context)
        if let compressorSpec {
            let asked = try BuiltinsRegistry.shared.makeCompressor(try CompressorSpec(parsing: compressorSpec), context: context)
            guard asked.descriptor.spec == compressor.descriptor.spec else {
                throw WorkbenchError(
                    "this container was made by '\(container.spec)', not '\(asked.descriptor.spec)'; omit --compressor to use the container's spec"
                )
            }
        }
        guard container.alphabetSize == compressor.descriptor.alphabetSize else {
            throw WorkbenchError(
                "container alphabet \(container.alphabetSize) does not match \(container.spec)'s \(compressor.descriptor.alphabetSize): the container is damaged or from another version"
            )
        }
        let bytes = try compressor.decode(
            EncodedDocument(symbols: container.symbols), maxOutputBytes: container.originalByteCount)
        guard bytes.count == container.originalByteCount else {
            throw WorkbenchError(
                "decoded \(bytes.count) bytes but the container announces \(container.originalByteCount): the container is damaged"
            )
        }
        try StandardStreams.write(bytes, to: output, what: "the decompressed bytes")
    }
}
