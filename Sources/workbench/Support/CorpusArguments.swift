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

    @Option(
        help: ArgumentHelp(
            "How documents are assigned to train, valid and test: near-duplicate (documents whose 64-byte shingles mostly match, by MinHash, share a split; one extra pass over the corpus) or exact (a hash of each document alone, as before).",
            valueName: "rule"))
    var splitRule: SplitRuleChoice = .nearDuplicate

    /// The reading options these arguments give.
    var readOptions: Corpus.ReadOptions {
        Corpus.ReadOptions(textField: textField, skipBadLines: skipBadLines, glob: glob)
    }

    /// Opens the corpus the user named, or the shipped one, for streaming (reads nothing yet; its
    /// documents follow the exact split rule).
    func openStream() throws -> CorpusStream {
        try CorpusStream(path: try corpus ?? ShippedCorpus.defaultPath(), options: readOptions)
    }

    /// Opens the corpus for reading `split`: with `--split-rule near-duplicate` and a split other
    /// than all, one pass first computes which split each near-duplicate goes to.
    func openStream(reading split: CorpusSplit) throws -> CorpusStream {
        let stream = try openStream()
        return split == .all ? stream : try stream.withSplitRule(splitRule)
    }

    /// Reads the corpus the user named, or the shipped one, into memory (one pass), its documents
    /// assigned to splits by `--split-rule`.
    func load() throws -> Corpus {
        try Corpus.load(try openStream()).applying(splitRule)
    }

    /// The corpus and its train and valid splits, refusing a corpus that lacks either;
    /// `purpose` names what needs both ("training", "a training stream").
    func loadTrainAndValid(for purpose: String) throws -> (corpus: Corpus, training: [[UInt8]], validation: [[UInt8]]) {
        let corpus = try load()
        let training = corpus.bytes(in: .train)
        let validation = corpus.bytes(in: .valid)
        guard !training.isEmpty, !validation.isEmpty else {
            throw WorkbenchError(
                "'\(corpus.path)' has \(training.count) train and \(validation.count) valid documents; \(purpose) needs both (\(CorpusSplit.ruleDescription))"
            )
        }
        return (corpus, training, validation)
    }

    /// For commands that take a corpus only for compressors that train (compress, decompress):
    /// a context over `--corpus`, or none when it is not given.
    func trainingContextIfGiven() throws -> CompressorBuildContext {
        guard corpus != nil else { return .withoutCorpus }
        return TrainingContext.make(try load())
    }
}

extension CorpusSplit: ExpressibleByArgument {}
extension SplitRuleChoice: ExpressibleByArgument {}
