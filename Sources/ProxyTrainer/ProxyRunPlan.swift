import NeuralEngine
import WorkbenchCore

/// What a user asks of a training run, before the budget is turned into steps and the schedule
/// is laid out: the one place `workbench train` and `compare`'s train stage derive a config.
public struct ProxyRunPlan: Sendable {
    /// The compressed view (nil for bytes only).
    public var compressor: CompressorDescriptor?
    /// Sizes and budget when not overridden.
    public var preset: ProxyRunConfig.Preset = .quick
    public var width: Int?
    public var layers: Int?
    public var heads: Int?
    public var context: Int?
    public var batch: Int?
    public var learningRate: Float?
    public var weightDecay: Float = 0.1
    /// FLOPs budget (nil: the preset's), or `steps` instead.
    public var budgetFLOPs: Double?
    public var steps: Int?
    /// Rate after the warm-up (nil: 0.9 with a compressor, 0 without).
    public var rate: Double?
    /// Mode after the warm-up.
    public var mode: StreamMode = .sentinel
    /// Share of steps in the warm-up (the paper's recipe: 0.2 in translation_random from 0.4).
    public var warmupFraction: Double = 0.2
    public var initialRate: Double = 0.4
    public var warmupMode: StreamMode = .translationRandom
    public var extraHead = false
    public var sharedByteEmbedding = false
    /// How compressed symbols become tokens.
    public var compressedView: CompressedView = .ids
    public var seed: UInt64 = 0
    /// Seed of the data order and draws, when it should differ from `seed`.
    public var dataSeed: UInt64?
    /// Batches per shuffled block of the stream (1: no shuffling; see `BatchShuffler`).
    public var shuffleBatches = BatchShuffler.defaultBlockBatches
    /// Periodic evaluations over the run (at most; see `evaluationShare`).
    public var evaluations = 10
    /// Periodic evaluations together cost at most this share of the training FLOPs. With a large
    /// vocabulary (16-bit ac windows: 65,856 rows) one evaluation of the sample can cost more than
    /// a quarter of a quick run's budget, so such runs get fewer points on their curve.
    public var evaluationShare = 0.5
    public var evaluationSampleBytes = 65_536
    /// Checkpoint interval (nil: 20 per run).
    public var checkpointEvery: Int?
    public var corpus: String
    public var corpusSHA256: String

    /// A plan for a corpus.
    public init(corpus: String, corpusSHA256: String) {
        self.corpus = corpus
        self.corpusSHA256 = corpusSHA256
    }

    /// Whether the run must fit this machine's memory (false for a stream exported for another
    /// trainer, which only describes the run).
    public var checksMemory = true

    /// Steps a run may take at most: a budget that allows more is refused (it would run for years).
    public static let maximumSteps = 100_000_000

    /// The config: steps from the budget, the schedule laid out over them.
    /// - Throws: `ProxyTrainerError` when the model cannot be built, the budget is smaller than one
    ///   step or absurdly large, or the run would not fit in the machine's memory.
    public func config() throws -> ProxyRunConfig {
        let defaults = preset.defaults
        let peak = rate ?? (compressor == nil ? 0 : 0.9)
        var config = ProxyRunConfig(
            compressor: compressor?.spec, schedule: .constant(rate: peak, mode: mode, totalSteps: 1),
            width: width ?? defaults.width, layers: layers ?? defaults.layers, heads: heads ?? defaults.heads,
            context: context ?? defaults.context, batch: batch ?? defaults.batch, extraHead: extraHead,
            sharedByteEmbedding: sharedByteEmbedding, compressedView: compressedView,
            learningRate: learningRate ?? defaults.learningRate, weightDecay: weightDecay, steps: 1, budgetFLOPs: nil, seed: seed,
            dataSeed: dataSeed, shuffleBatches: shuffleBatches, evaluateEvery: 1, evaluationSampleBytes: evaluationSampleBytes,
            checkpointEvery: 1, corpus: corpus,
            corpusSHA256: corpusSHA256)
        let vocabulary: ProxyVocabulary
        do {
            vocabulary = try ProxyVocabulary(
                descriptor: compressor, sharedByteEmbedding: sharedByteEmbedding, view: compressedView)
        } catch {
            throw ProxyTrainerError(error.message)
        }
        let model = config.modelConfig(vocabularySize: vocabulary.size)
        do {
            try model.validate()
        } catch {
            throw ProxyTrainerError("the model cannot be built: \(error) (--width, --layers, --heads, --context)")
        }
        guard config.batch >= 1 else {
            throw ProxyTrainerError("the batch must hold at least one sequence, got \(config.batch) (--batch)")
        }
        guard config.learningRate.isFinite, config.learningRate > 0 else {
            throw ProxyTrainerError("the learning rate must be a positive number, got \(config.learningRate) (--learning-rate)")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw ProxyTrainerError("the weight decay must be a number at least 0, got \(weightDecay) (--weight-decay)")
        }
        let perStep = config.flopsPerStep(vocabularySize: vocabulary.size)
        if let steps {
            guard steps >= 1, steps <= Self.maximumSteps else {
                throw ProxyTrainerError("--steps must be within 1...\(Self.maximumSteps), got \(steps)")
            }
            config.steps = steps
        } else {
            let budget = budgetFLOPs ?? defaults.budgetFLOPs
            guard budget.isFinite, budget > 0 else {
                throw ProxyTrainerError("the budget must be a positive number of FLOPs, got \(budget) (--budget-flops)")
            }
            config.budgetFLOPs = budget
            let steps = (budget / perStep).rounded(.down)
            guard steps >= 1 else {
                throw ProxyTrainerError(
                    String(
                        format:
                            "the budget %.3g FLOPs is smaller than one step (%.3g FLOPs); raise the budget or shrink the model",
                        budget, perStep))
            }
            guard steps <= Double(Self.maximumSteps) else {
                throw ProxyTrainerError(
                    String(
                        format: "the budget %.3g FLOPs allows %.3g steps of %.3g FLOPs, more than %d; lower --budget-flops",
                        budget, steps, perStep, Self.maximumSteps))
            }
            config.steps = Int(steps)
        }
        if let checkpointEvery, checkpointEvery < 1 {
            throw ProxyTrainerError("--checkpoint-every must be at least 1 step, got \(checkpointEvery)")
        }
        if checksMemory { try checkMemory(model, config: config) }
        let warmupSteps = peak > 0 ? Int((Double(config.steps) * warmupFraction).rounded()) : 0
        config.schedule = RateSchedule(
            warmupSteps: warmupSteps, initialRate: warmupSteps > 0 ? min(initialRate, peak) : peak, peakRate: peak,
            warmupMode: warmupMode, steadyMode: mode, decaySteps: 0, finalRate: peak, totalSteps: config.steps)
        let evaluationFLOPs = Double(evaluationSampleBytes) * model.forwardFLOPsPerToken(sequenceLength: config.context)
        let affordable = Int(min(1e9, evaluationShare * Double(config.steps) * perStep / max(evaluationFLOPs, 1)))
        let count = min(evaluations, affordable)
        config.evaluateEvery = count > 0 ? max(1, (config.steps + count - 1) / count) : 0
        config.checkpointEvery = checkpointEvery ?? max(1, config.steps / 20)
        try config.schedule.validate()
        return config
    }

    /// Refuses a run whose training would not fit in the machine's memory.
    private func checkMemory(_ model: ModelConfig, config: ProxyRunConfig) throws {
        do {
            try MachineMemory.check(
                model.trainingBytes(batchSize: config.batch, sequenceLength: config.context),
                what:
                    "a model of \(model.parameterCount) parameters trained on \(config.batch) sequences of \(config.context) tokens",
                advice: "lower --batch, --context, --width or --layers")
        } catch {
            throw ProxyTrainerError("\(error)")
        }
    }
}
