import ArgumentParser
import Pipelines
import WorkbenchCore

/// The options every corpus-reading command shares.
struct CorpusArguments: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A JSONL file (one JSON object per line), a plain file, or a directory of files. Defaults to the shipped corpus.",
            valueName: "path"))
    var corpus: String?

    @Option(help: "The JSON field holding each document's text.")
    var textField: String = "text"

    @Flag(help: "Skip JSONL lines that are not JSON or lack the text field, and count them in the results.")
    var skipBadLines = false

    @Option(help: "For a directory corpus: which file names to read (fnmatch pattern).")
    var glob: String = "*"

    /// The reading options these arguments give.
    var readOptions: Corpus.ReadOptions {
        Corpus.ReadOptions(textField: textField, skipBadLines: skipBadLines, glob: glob)
    }

    /// Opens the corpus the user named, or the shipped one, for streaming (reads nothing yet).
    func openStream() throws -> CorpusStream {
        try CorpusStream(path: try corpus ?? ShippedCorpus.defaultPath(), options: readOptions)
    }

    /// Reads the corpus the user named, or the shipped one, into memory (one pass).
    func load() throws -> Corpus {
        try Corpus.load(try openStream())
    }

    /// For commands that take a corpus only for compressors that train (compress, decompress):
    /// a context over `--corpus`, or none when it is not given.
    func trainingContextIfGiven() throws -> CompressorBuildContext {
        guard corpus != nil else { return .withoutCorpus }
        return TrainingContext.make(try load())
    }
}

extension CorpusSplit: ExpressibleByArgument {}
