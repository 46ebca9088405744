import NeuralEngine
import WorkbenchCore

/// Everything that defines one proxy-training run; saved as `config.json` and inside every
/// checkpoint, so a run can be rerun or resumed exactly.
public struct ProxyRunConfig: Sendable, Codable, Equatable {
    /// Model sizes and budgets that fit the machine (2 cores): `quick` for smoke runs and the
    /// demo, `paper` for the 10-minute calibration runs (PyTorch reached 3.69 bits per
    /// byte with bytes only at 6e13 FLOPs, about 10 minutes here).
    public enum Preset: String, Sendable, Codable, CaseIterable {
        case quick, paper

        /// Width, layers, heads, context, batch, learning rate and FLOPs budget of the preset. The
        /// quick budget is the one at which `make demo` (3 seeds of bytes only and three proxies,
        /// `ac`'s model trained first) fits in 15 minutes on 2 cores while the slowest proxy, bpe
        /// with its 4,096-row head, still gets more than 100 steps (112).
        public var defaults:
            (width: Int, layers: Int, heads: Int, context: Int, batch: Int, learningRate: Float, budgetFLOPs: Double)
        {
            switch self {
            case .quick: return (128, 2, 4, 256, 16, 2e-3, 3e12)
            case .paper: return (256, 4, 4, 512, 8, 1e-3, 6e13)
            }
        }
    }

    /// The compressor spec of the compressed view (nil for bytes only).
    public var compressor: CompressorSpec?
    /// The rate and mode schedule.
    public var schedule: RateSchedule
    /// Model width.
    public var width: Int
    /// Transformer blocks.
    public var layers: Int
    /// Attention heads.
    public var heads: Int
    /// Sequence length of training windows.
    public var context: Int
    /// Sequences per step.
    public var batch: Int
    /// Whether the model has the extra raw head (token after next).
    public var extraHead: Bool
    /// Byte-valued compressors may share the raw-byte embedding rows.
    public var sharedByteEmbedding: Bool
    /// How compressed symbols become tokens (ids, or byte sub-tokens for wide alphabets).
    public var compressedView: CompressedView
    /// Peak learning rate (cosine decay to 10% after a 5% warm-up).
    public var learningRate: Float
    /// AdamW weight decay.
    public var weightDecay: Float
    /// Optimizer steps (derived from the FLOPs budget when one is given).
    public var steps: Int
    /// The FLOPs budget the steps were derived from, if any.
    public var budgetFLOPs: Double?
    /// Seed of initialization, shuffles and draws.
    public var seed: UInt64
    /// Seed of the data order and draws when it differs from `seed` (to tell the two apart).
    public var dataSeed: UInt64?
    /// Batches per shuffled block of the stream (1: the packed stream in order; see `BatchShuffler`).
    public var shuffleBatches: Int
    /// Evaluate on the evaluation sample at step 0 and every this many steps (0: never; the
    /// final evaluation on the whole valid split always runs).
    public var evaluateEvery: Int
    /// Bytes of the valid split used for periodic evaluation (the final one uses all of it).
    public var evaluationSampleBytes: Int
    /// Write a checkpoint every this many steps.
    public var checkpointEvery: Int
    /// Corpus path and fingerprint.
    public var corpus: String
    /// SHA-256 of the corpus.
    public var corpusSHA256: String

    /// Creates a config; `steps` may be derived later from `budgetFLOPs` (see `flopsPerStep`).
    public init(
        compressor: CompressorSpec?, schedule: RateSchedule, width: Int, layers: Int, heads: Int, context: Int, batch: Int,
        extraHead: Bool, sharedByteEmbedding: Bool, compressedView: CompressedView = .ids, learningRate: Float,
        weightDecay: Float, steps: Int,
        budgetFLOPs: Double?, seed: UInt64, dataSeed: UInt64? = nil, shuffleBatches: Int = 1, evaluateEvery: Int,
        evaluationSampleBytes: Int, checkpointEvery: Int,
        corpus: String, corpusSHA256: String
    ) {
        self.compressor = compressor
        self.schedule = schedule
        self.width = width
        self.layers = layers
        self.heads = heads
        self.context = context
        self.batch = batch
        self.extraHead = extraHead
        self.sharedByteEmbedding = sharedByteEmbedding
        self.compressedView = compressedView
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.steps = steps
        self.budgetFLOPs = budgetFLOPs
        self.seed = seed
        self.dataSeed = dataSeed
        self.shuffleBatches = shuffleBatches
        self.evaluateEvery = evaluateEvery
        self.evaluationSampleBytes = evaluationSampleBytes
        self.checkpointEvery = checkpointEvery
        self.corpus = corpus
        self.corpusSHA256 = corpusSHA256
    }

    /// The engine config for a vocabulary.
    public func modelConfig(vocabularySize: Int) -> ModelConfig {
        ModelConfig(
            vocabularySize: vocabularySize, width: width, layers: layers, heads: heads, contextLength: context,
            extraHead: extraHead)
    }

    /// Training FLOPs per optimizer step (6N + attention per token, times B x T tokens).
    public func flopsPerStep(vocabularySize: Int) -> Double {
        modelConfig(vocabularySize: vocabularySize).trainingFLOPsPerToken(sequenceLength: context) * Double(batch * context)
    }

    /// How FLOPs are counted, recorded with every result.
    public static let flopsFormula =
        "per token: 6 x (block matrices + output heads) + 12 x layers x width x context (attention scores and values, full T x T); per step: that x batch x context"

    enum CodingKeys: String, CodingKey {
        case compressor, schedule, width, layers, heads, context, batch, extraHead = "extra_head"
        case sharedByteEmbedding = "shared_byte_embedding", compressedView = "compressed_view"
        case learningRate = "learning_rate", weightDecay = "weight_decay"
        case steps, budgetFLOPs = "budget_flops", seed, dataSeed = "data_seed", shuffleBatches = "shuffle_batches"
        case evaluateEvery = "evaluate_every"
        case evaluationSampleBytes = "evaluation_sample_bytes", checkpointEvery = "checkpoint_every", corpus
        case corpusSHA256 = "corpus_sha256"
    }

    /// Decodes a config; one written before the bytes view existed trained the ids view.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            compressor: try c.decodeIfPresent(CompressorSpec.self, forKey: .compressor),
            schedule: try c.decode(RateSchedule.self, forKey: .schedule), width: try c.decode(Int.self, forKey: .width),
            layers: try c.decode(Int.self, forKey: .layers), heads: try c.decode(Int.self, forKey: .heads),
            context: try c.decode(Int.self, forKey: .context), batch: try c.decode(Int.self, forKey: .batch),
            extraHead: try c.decode(Bool.self, forKey: .extraHead),
            sharedByteEmbedding: try c.decode(Bool.self, forKey: .sharedByteEmbedding),
            compressedView: try c.decodeIfPresent(CompressedView.self, forKey: .compressedView) ?? .ids,
            learningRate: try c.decode(Float.self, forKey: .learningRate),
            weightDecay: try c.decode(Float.self, forKey: .weightDecay), steps: try c.decode(Int.self, forKey: .steps),
            budgetFLOPs: try c.decodeIfPresent(Double.self, forKey: .budgetFLOPs), seed: try c.decode(UInt64.self, forKey: .seed),
            dataSeed: try c.decodeIfPresent(UInt64.self, forKey: .dataSeed),
            shuffleBatches: try c.decodeIfPresent(Int.self, forKey: .shuffleBatches) ?? 1,
            evaluateEvery: try c.decode(Int.self, forKey: .evaluateEvery),
            evaluationSampleBytes: try c.decode(Int.self, forKey: .evaluationSampleBytes),
            checkpointEvery: try c.decode(Int.self, forKey: .checkpointEvery), corpus: try c.decode(String.self, forKey: .corpus),
            corpusSHA256: try c.decode(String.self, forKey: .corpusSHA256))
    }
}
