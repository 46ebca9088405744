import WorkbenchCore

/// What a researcher sets about proxy training, shared by `workbench train` (one run) and
/// `compare` (every model, seed and budget): the one definition both commands' options map to.
/// Recorded in config.json; `plan(...)` turns it into the plan of one run.
public struct TrainerSettings: Sendable, Equatable, Codable {
    /// Model sizes, learning rate and budget when not overridden.
    public var preset: ProxyRunConfig.Preset = .quick
    /// Model width (nil: the preset's).
    public var width: Int?
    /// Transformer blocks (nil: the preset's).
    public var layers: Int?
    /// Attention heads (nil: the preset's).
    public var heads: Int?
    /// Training sequence length (nil: the preset's).
    public var context: Int?
    /// Sequences per step (nil: the preset's).
    public var batch: Int?
    /// Peak learning rate (nil: the preset's).
    public var learningRate: Float?
    /// AdamW weight decay.
    public var weightDecay: Float = 0.1
    /// Rate after the warm-up (nil: 0.9 with a compressor, 0 without).
    public var rate: Double?
    /// Stream mode after the warm-up.
    public var mode: StreamMode = .sentinel
    /// Share of steps in the warm-up.
    public var warmupFraction = 0.2
    /// Rate at the start of the warm-up.
    public var initialRate = 0.4
    /// Stream mode during the warm-up.
    public var warmupMode: StreamMode = .translationRandom
    /// The extra raw head (token after next).
    public var extraHead = false
    /// Byte-valued compressors share the raw-byte rows.
    public var sharedByteEmbedding = false
    /// How compressed symbols become tokens (`auto` decides per compressor).
    public var compressedView: CompressedViewChoice = .auto
    /// A run with fewer steps is flagged undertrained (and `auto` avoids the ids view below it).
    public var minimumSteps = 100
    /// Training FLOPs per run, each budget a separate run with its own schedule (nil: the preset's).
    public var budgets: [Double]?
    /// Optimizer steps instead of a budget (one run of `workbench train`).
    public var steps: Int?
    /// Seeds: every model is trained once per seed.
    public var seeds: [UInt64] = [0]
    /// Seed of the data order when it should differ from the run's seed (one run of `train`).
    public var dataSeed: UInt64?
    /// Batches per shuffled block of the stream (1: the packed stream in order).
    public var shuffleBatches = BatchShuffler.defaultBlockBatches
    /// Periodic evaluations per run, at most.
    public var evaluations = 10
    /// Bytes of the valid split in the periodic evaluation sample.
    public var evaluationSampleBytes = 65_536
    /// Checkpoint interval in steps (nil: 20 checkpoints per run).
    public var checkpointEvery: Int?
    /// Whether a run must fit this machine's memory (false when its stream is exported for
    /// another trainer; not recorded).
    public var checksMemory = true

    /// Default settings.
    public init() {}

    /// The budgets runs are trained at, ascending (the preset's when none was given).
    public var resolvedBudgets: [Double] {
        (budgets ?? [preset.defaults.budgetFLOPs]).sorted()
    }

    /// The plan of one run.
    /// - Parameters:
    ///   - compressor: the compressed view's descriptor, nil for bytes only.
    ///   - view: the resolved view (see `resolveView`).
    public func plan(
        compressor: CompressorDescriptor?, view: CompressedView, seed: UInt64, budget: Double?, corpus: String,
        corpusSHA256: String
    ) -> ProxyRunPlan {
        var plan = ProxyRunPlan(corpus: corpus, corpusSHA256: corpusSHA256, settings: self)
        plan.compressor = compressor
        plan.compressedView = view
        plan.seed = seed
        plan.budgetFLOPs = steps == nil ? budget : nil
        plan.checksMemory = checksMemory
        return plan
    }

    /// The configuration of the one run these settings describe (`workbench train`, and the
    /// training-stream export, which must write exactly the batches that run trains on): the view
    /// resolved, the first seed, the smallest budget (or `steps`).
    /// - Returns: the config and why its compressed view was chosen.
    /// - Throws: `ProxyTrainerError` when the run cannot be planned.
    public func runConfig(
        compressor: CompressorDescriptor?, corpus: String, corpusSHA256: String
    ) throws -> (config: ProxyRunConfig, viewReason: String) {
        let (view, reason) = try resolveView(for: compressor, corpus: corpus, corpusSHA256: corpusSHA256)
        let config = try plan(
            compressor: compressor, view: view, seed: seeds.first ?? 0, budget: resolvedBudgets.first, corpus: corpus,
            corpusSHA256: corpusSHA256
        ).config()
        return (config, reason)
    }

    /// Checks every setting, naming the option to fix.
    /// - Throws: `ProxyTrainerError`.
    public func validate() throws {
        func fail(_ message: String) throws -> Never { throw ProxyTrainerError(message) }
        for (name, value) in [
            ("--width", width), ("--layers", layers), ("--heads", heads), ("--context", context), ("--batch", batch),
        ] {
            if let value, value < 1 { try fail("\(name) must be at least 1, got \(value)") }
        }
        if let learningRate, !(learningRate.isFinite && learningRate > 0) {
            try fail("--learning-rate must be a positive number, got \(learningRate)")
        }
        if !(weightDecay.isFinite && weightDecay >= 0) {
            try fail("--weight-decay must be a number at least 0, got \(weightDecay)")
        }
        if let rate, !(0...1).contains(rate) { try fail("--rate must be within 0...1, got \(rate)") }
        if !(0...1).contains(initialRate) { try fail("--initial-rate must be within 0...1, got \(initialRate)") }
        if !(0..<1).contains(warmupFraction) { try fail("--warmup-fraction must be within 0..<1, got \(warmupFraction)") }
        if minimumSteps < 1 { try fail("--min-steps must be at least 1, got \(minimumSteps)") }
        for budget in budgets ?? [] where !(budget.isFinite && budget > 0) {
            try fail("a budget must be a positive number of FLOPs, got \(budget)")
        }
        if let budgets, Set(budgets).count != budgets.count { try fail("--budgets lists a budget twice: \(budgets)") }
        if let steps, steps < 1 { try fail("--steps must be at least 1, got \(steps)") }
        if steps != nil && budgets != nil { try fail("give a budget (--budget-flops or --budgets) or --steps, not both") }
        if seeds.isEmpty { try fail("at least one seed is needed") }
        if evaluations < 1 { try fail("--evaluations must be at least 1, got \(evaluations)") }
        if evaluationSampleBytes < 1 { try fail("--evaluation-sample-bytes must be at least 1, got \(evaluationSampleBytes)") }
        if let checkpointEvery, checkpointEvery < 1 {
            try fail("--checkpoint-every must be at least 1 step, got \(checkpointEvery)")
        }
        if !(1...4096).contains(shuffleBatches) { try fail("--shuffle-batches must be within 1...4096, got \(shuffleBatches)") }
    }

    /// The view a compressor trains in, and why: `ids` and `bytes` as asked; `auto` takes the ids
    /// view unless it would give fewer than `minimumSteps` steps at the smallest budget, where a
    /// wide alphabet's embedding and output head take the compute (the bytes view then).
    /// - Throws: `ProxyTrainerError` when no view can be planned (a budget below one step).
    public func resolveView(
        for compressor: CompressorDescriptor?, corpus: String, corpusSHA256: String
    ) throws -> (
        view: CompressedView, reason: String
    ) {
        guard let compressor else { return (.ids, "bytes only: no compressed view") }
        let alphabet = compressor.alphabetSize - (compressor.passesRawBytesThrough ? 256 : 0)
        switch compressedView {
        case .ids: return (.ids, "--compressed-view ids")
        case .bytes:
            return (
                .bytes,
                alphabet > 256
                    ? "--compressed-view bytes" : "--compressed-view bytes (an alphabet of 256 or fewer: the same as ids)"
            )
        case .auto:
            guard alphabet > 256 else { return (.ids, "alphabet of \(alphabet): one token per symbol") }
            let smallest = resolvedBudgets.first
            let idsSteps: Int
            do {
                idsSteps = try plan(
                    compressor: compressor, view: .ids, seed: seeds.first ?? 0, budget: smallest, corpus: corpus,
                    corpusSHA256: corpusSHA256
                ).config().steps
            } catch {
                return (.bytes, "the ids view cannot be trained (\(error)); the bytes view can")
            }
            if idsSteps >= minimumSteps {
                return (.ids, "the ids view (\(alphabet) symbol rows) trains \(idsSteps) steps at the smallest budget")
            }
            return (
                .bytes,
                "the ids view would train only \(idsSteps) steps at the smallest budget (its \(alphabet)-row embedding and head take the compute), fewer than --min-steps \(minimumSteps)"
            )
        }
    }

    enum CodingKeys: String, CodingKey {
        case preset, width, layers, heads, context, batch, learningRate = "learning_rate", weightDecay = "weight_decay"
        case rate, mode, warmupFraction = "warmup_fraction", initialRate = "initial_rate", warmupMode = "warmup_mode"
        case extraHead = "extra_head", sharedByteEmbedding = "shared_byte_embedding", compressedView = "compressed_view"
        case minimumSteps = "min_steps", budgets, steps, seeds, evaluations, evaluationSampleBytes = "evaluation_sample_bytes"
        case checkpointEvery = "checkpoint_every", dataSeed = "data_seed", shuffleBatches = "shuffle_batches"
    }
}

/// `--compressed-view`: a view, or `auto` (the bytes view only where the ids view would leave a
/// model undertrained).
public enum CompressedViewChoice: String, Sendable, Codable, CaseIterable {
    /// One token per symbol.
    case ids
    /// Byte sub-tokens for alphabets wider than 256.
    case bytes
    /// `ids`, unless that gives fewer than the minimum steps at the smallest budget.
    case auto
}
