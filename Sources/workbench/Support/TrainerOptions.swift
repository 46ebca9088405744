import ArgumentParser
import ProxyTrainer

/// The proxy trainer's knobs, shared by `workbench train` and `compare` (one definition, the same
/// meaning and validation in both): they fill a `TrainerSettings`.
///
/// Numbers are parsed `.unconditional`ly so that a negative value (`--width -5`) reaches the
/// validation and its message instead of being taken for an option.
struct TrainerOptions: ParsableArguments {
    @Option(
        help:
            "Model and budget preset: quick (width 128, 2 layers, context 256, batch 16, 3e12 FLOPs) or paper (width 256, 4 layers, context 512, batch 8, 6e13 FLOPs)."
    )
    var preset: ProxyRunConfig.Preset = .quick

    @Option(
        name: [.customLong("train-rate"), .customLong("rate")], parsing: .unconditional,
        help: ArgumentHelp(
            "Compression rate r after the warm-up: the share of documents fed compressed (0...1; default 0.9 with a compressor).",
            valueName: "r"))
    var rate: Double?

    @Option(
        name: [.customLong("train-mode"), .customLong("mode")],
        help: ArgumentHelp(
            "Stream mode after the warm-up: \(StreamMode.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "mode"))
    var mode: StreamMode = .sentinel

    @Option(parsing: .unconditional, help: "Share of steps in the warm-up (0 disables it; the paper's recipe is 0.2).")
    var warmupFraction: Double = 0.2

    @Option(parsing: .unconditional, help: "Rate at the start of the warm-up.")
    var initialRate: Double = 0.4

    @Option(help: ArgumentHelp("Stream mode during the warm-up.", valueName: "mode"))
    var warmupMode: StreamMode = .translationRandom

    @Option(parsing: .unconditional, help: "Model width (overrides the preset).") var width: Int?
    @Option(parsing: .unconditional, help: "Transformer blocks (overrides the preset).") var layers: Int?
    @Option(parsing: .unconditional, help: "Attention heads (overrides the preset).") var heads: Int?
    @Option(parsing: .unconditional, help: "Training sequence length (overrides the preset).") var context: Int?
    @Option(parsing: .unconditional, help: "Sequences per step (overrides the preset).") var batch: Int?
    @Option(parsing: .unconditional, help: "Peak learning rate (overrides the preset).") var learningRate: Float?
    @Option(parsing: .unconditional, help: "AdamW weight decay.") var weightDecay: Float = 0.1

    @Option(
        name: .customLong("budget-flops"), parsing: .unconditional,
        help: "Compute budget in training FLOPs per run (overrides the preset).")
    var budgetFLOPs: Double?

    @Flag(help: "Add the extra raw head that predicts the byte after next (reference loss weights).")
    var extraHead = false

    @Flag(help: "Byte-valued compressors share the raw-byte embedding rows instead of their own.")
    var sharedByteEmbedding = false

    @Option(
        help: ArgumentHelp(
            "How compressed symbols become tokens: ids (one per symbol), bytes (an alphabet wider than 256 as big-endian byte sub-tokens: 256 compressed ids whatever the alphabet), or auto (ids unless that trains fewer than --min-steps steps at the smallest budget).",
            valueName: "view"))
    var compressedView: CompressedViewChoice = .auto

    @Option(
        parsing: .unconditional,
        help:
            "Batches per shuffled block: the packed stream is cut into blocks of this many batches whose sequences are shuffled together, as the reference trainer's loader does (1: no shuffling)."
    )
    var shuffleBatches: Int = BatchShuffler.defaultBlockBatches

    @Option(
        parsing: .unconditional,
        help: "A run with fewer optimizer steps is flagged undertrained (warned at the start and marked in the reports).")
    var minSteps: Int = 100

    @Option(
        parsing: .unconditional,
        help: "Seed of initialization, data order and draws (compare: the first of --seeds, and the stability sample's).")
    var seed: UInt64 = 0

    /// The settings these options give, for `seeds` seeds from `--seed` and the given budgets.
    func settings(seeds: Int = 1, budgets: [Double]? = nil, steps: Int? = nil) -> TrainerSettings {
        var settings = TrainerSettings()
        settings.preset = preset
        (settings.width, settings.layers, settings.heads, settings.context, settings.batch) = (
            width, layers, heads, context, batch
        )
        settings.learningRate = learningRate
        settings.weightDecay = weightDecay
        settings.rate = rate
        settings.mode = mode
        settings.warmupFraction = warmupFraction
        settings.initialRate = initialRate
        settings.warmupMode = warmupMode
        settings.extraHead = extraHead
        settings.sharedByteEmbedding = sharedByteEmbedding
        settings.compressedView = compressedView
        settings.minimumSteps = minSteps
        settings.shuffleBatches = shuffleBatches
        settings.budgets = budgets ?? budgetFLOPs.map { [$0] }
        settings.steps = steps
        settings.seeds = (0..<UInt64(max(1, seeds))).map { seed &+ $0 }
        return settings
    }

    func validate() throws {
        do {
            try settings().validate()
        } catch let error as ProxyTrainerError {
            throw ValidationError(error.message)
        }
    }
}

extension ProxyRunConfig.Preset: ExpressibleByArgument {}
extension StreamMode: ExpressibleByArgument {}
extension CompressedViewChoice: ExpressibleByArgument {}
