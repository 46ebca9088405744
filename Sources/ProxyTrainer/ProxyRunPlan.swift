import NeuralEngine
import WorkbenchCore

/// One training run as asked, before the budget is turned into steps and the schedule is laid
/// out: the shared `TrainerSettings` plus what differs per run (compressor, view, seed, budget).
/// The one place `workbench train` and `compare`'s train stage derive a config.
public struct ProxyRunPlan: Sendable {
    /// Model, schedule and optimizer settings (their `budgets` and `seeds` lists are not read:
    /// the run's own are below).
    public var settings: TrainerSettings
    /// The compressed view (nil for bytes only).
    public var compressor: CompressorDescriptor?
    /// How compressed symbols become tokens.
    public var compressedView: CompressedView = .ids
    /// Seed of initialization (and, unless `settings.dataSeed`, of data order and draws).
    public var seed: UInt64 = 0
    /// FLOPs budget (nil: the preset's), unless `settings.steps` gives steps.
    public var budgetFLOPs: Double?
    /// Periodic evaluations together cost at most this share of the training FLOPs. With a large
    /// vocabulary (16-bit ac windows: 65,856 rows) one evaluation of the sample can cost more than
    /// a quarter of a quick run's budget, so such runs get fewer points on their curve.
    public var evaluationShare = 0.5
    /// The corpus path, recorded in the config.
    public var corpus: String
    /// The corpus fingerprint, recorded in the config.
    public var corpusSHA256: String

    /// A plan for a corpus with `settings` (default: the quick preset's).
    public init(corpus: String, corpusSHA256: String, settings: TrainerSettings = TrainerSettings()) {
        self.corpus = corpus
        self.corpusSHA256 = corpusSHA256
        self.settings = settings
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
        let s = settings
        let defaults = s.preset.defaults
        let peak = compressor == nil ? 0 : (s.rate ?? 0.9)
        var config = ProxyRunConfig(
            compressor: compressor?.spec, schedule: .constant(rate: peak, mode: s.mode, totalSteps: 1),
            width: s.width ?? defaults.width, layers: s.layers ?? defaults.layers, heads: s.heads ?? defaults.heads,
            context: s.context ?? defaults.context, batch: s.batch ?? defaults.batch, extraHead: s.extraHead,
            sharedByteEmbedding: s.sharedByteEmbedding, compressedView: compressedView,
            learningRate: s.learningRate ?? defaults.learningRate, weightDecay: s.weightDecay, steps: 1, budgetFLOPs: nil,
            seed: seed, dataSeed: s.dataSeed, shuffleBatches: s.shuffleBatches, evaluateEvery: 1,
            evaluationSampleBytes: s.evaluationSampleBytes, checkpointEvery: 1, corpus: corpus, corpusSHA256: corpusSHA256)
        let vocabulary: ProxyVocabulary
        do {
            vocabulary = try ProxyVocabulary(
                descriptor: compressor, sharedByteEmbedding: s.sharedByteEmbedding, view: compressedView)
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
        guard s.weightDecay.isFinite, s.weightDecay >= 0 else {
            throw ProxyTrainerError("the weight decay must be a number at least 0, got \(s.weightDecay) (--weight-decay)")
        }
        let perStep = config.flopsPerStep(vocabularySize: vocabulary.size)
        if let steps = s.steps {
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
        if let checkpointEvery = s.checkpointEvery, checkpointEvery < 1 {
            throw ProxyTrainerError("--checkpoint-every must be at least 1 step, got \(checkpointEvery)")
        }
        if checksMemory { try checkMemory(model, config: config) }
        let warmupSteps = peak > 0 ? Int((Double(config.steps) * s.warmupFraction).rounded()) : 0
        config.schedule = RateSchedule(
            warmupSteps: warmupSteps, initialRate: warmupSteps > 0 ? min(s.initialRate, peak) : peak, peakRate: peak,
            warmupMode: s.warmupMode, steadyMode: s.mode, decaySteps: 0, finalRate: peak, totalSteps: config.steps)
        let evaluationFLOPs = Double(s.evaluationSampleBytes) * model.forwardFLOPsPerToken(sequenceLength: config.context)
        let affordable = Int(min(1e9, evaluationShare * Double(config.steps) * perStep / max(evaluationFLOPs, 1)))
        let count = min(s.evaluations, affordable)
        config.evaluateEvery = count > 0 ? max(1, (config.steps + count - 1) / count) : 0
        config.checkpointEvery = s.checkpointEvery ?? max(1, config.steps / 20)
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
