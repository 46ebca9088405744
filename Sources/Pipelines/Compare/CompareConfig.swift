import ProxyTrainer
import WorkbenchCore

/// `config.json` of a comparison: everything needed to run it again, and what `--resume` checks.
public struct CompareConfig: Codable, Equatable, Sendable {
    /// The workbench that ran it.
    public var workbenchVersion: String
    /// The command line, for the record (not compared on resume).
    public var arguments: [String]
    /// The compressors, in request order.
    public var compressors: [CompressorSpec]
    /// The corpus path and fingerprint.
    public var corpus: String
    /// SHA-256 of the corpus.
    public var corpusSHA256: String
    /// The measured split.
    public var split: CorpusSplit
    /// Timed passes.
    public var passes: Int
    /// JSONL text field.
    public var textField: String
    /// Whether bad JSONL lines were skipped.
    public var skipBadLines: Bool
    /// How documents were assigned to splits.
    public var splitRule: SplitRuleChoice
    /// Stages run.
    public var stages: [CompareStage]
    /// Seed of every random choice.
    public var seed: UInt64
    /// Stability sample size.
    public var stabilityDocuments: Int
    /// Stability document cut.
    public var stabilityMaxBytes: Int
    /// Proxy training's settings (nil when the train stage does not run).
    public var trainer: TrainerSettings?
    /// Bytes of the measured split the robust stage scores (nil when it does not run).
    public var robustSampleBytes: Int?

    /// Creates a config.
    public init(
        workbenchVersion: String, arguments: [String], compressors: [CompressorSpec], corpus: String, corpusSHA256: String,
        split: CorpusSplit, passes: Int, textField: String, skipBadLines: Bool, splitRule: SplitRuleChoice,
        stages: [CompareStage], seed: UInt64,
        stabilityDocuments: Int, stabilityMaxBytes: Int, trainer: TrainerSettings?
    ) {
        self.workbenchVersion = workbenchVersion
        self.arguments = arguments
        self.compressors = compressors
        self.corpus = corpus
        self.corpusSHA256 = corpusSHA256
        self.split = split
        self.passes = passes
        self.textField = textField
        self.skipBadLines = skipBadLines
        self.splitRule = splitRule
        self.stages = stages
        self.seed = seed
        self.stabilityDocuments = stabilityDocuments
        self.stabilityMaxBytes = stabilityMaxBytes
        self.trainer = trainer
    }

    enum CodingKeys: String, CodingKey {
        case workbenchVersion = "workbench_version", arguments, compressors, corpus, corpusSHA256 = "corpus_sha256", split
        case passes, textField = "text_field", skipBadLines = "skip_bad_lines", splitRule = "split_rule", stages, seed
        case stabilityDocuments = "stability_documents", stabilityMaxBytes = "stability_max_bytes", trainer
        case robustSampleBytes = "robust_sample_bytes"
    }
}
