import NeuralEngine
import WorkbenchCore

/// What a config fixes about training beyond the model's shape: the vocabulary, the stream of
/// batches, the initial weights and the optimizer. The one place these are derived, so that
/// `ProxyTrainingRun` and the training-stream export (which a PyTorch trainer reads) agree.
extension ProxyRunConfig {
    /// Global gradient-norm clipping threshold of every run.
    public static let maxGradientNorm: Float = 1

    /// The model vocabulary of this config with `compressor` (nil: bytes only).
    /// - Throws: `WorkbenchError` when the view or shared embedding does not fit the compressor.
    public func vocabulary(for compressor: CompressorDescriptor?) throws(WorkbenchError) -> ProxyVocabulary {
        try ProxyVocabulary(descriptor: compressor, sharedByteEmbedding: sharedByteEmbedding, view: compressedView)
    }

    /// The learning rate per step: a linear warm-up over 5% of the steps (at least one), then a
    /// cosine to 10% of the peak at the last step.
    public var learningRateSchedule: LearningRateSchedule {
        LearningRateSchedule(
            maxLearningRate: learningRate, minLearningRate: learningRate / 10, warmupSteps: max(1, steps / 20),
            totalSteps: steps)
    }

    /// AdamW's hyperparameters (PyTorch's defaults and this config's weight decay, applied to
    /// matrices and embeddings only).
    public var optimizer: AdamWConfig { AdamWConfig(weightDecay: weightDecay) }

    /// The weights a run of this config starts from (seeded by `seed`).
    /// - Throws: `EngineError.invalidConfig` for a model that cannot be built.
    public func initialParameters(vocabularySize: Int) throws -> Parameters {
        try Parameters(config: modelConfig(vocabularySize: vocabularySize), seed: seed)
    }

    /// The batches a run of this config trains on, from its first step: the training documents
    /// (compressed lazily, only when the schedule ever draws the compressed view) packed by
    /// `SequencePacker` and shuffled in blocks by `BatchShuffler`.
    /// - Throws: `ProxyTrainerError` for no documents or a context too short for one document.
    public func batchStream(
        training: [[UInt8]], compressor: (any Compressor)?, vocabulary: ProxyVocabulary
    ) throws -> BatchShuffler {
        let compresses = schedule.peakRate > 0 || schedule.initialRate > 0
        let documents = ProxyCorpus(documents: training, compressor: compresses ? compressor : nil, vocabulary: vocabulary)
        let packer = try SequencePacker(
            documents: documents, schedule: schedule, sequenceLength: context, extraHead: extraHead, seed: dataSeed ?? seed)
        return BatchShuffler(packer: packer, blockBatches: shuffleBatches)
    }

    /// The periodic evaluation sample: the first documents of `validation` until they hold at
    /// least `evaluationSampleBytes` bytes.
    public func evaluationSample(of validation: [[UInt8]]) -> [[UInt8]] {
        var sample: [[UInt8]] = []
        var sampleBytes = 0
        for document in validation where sampleBytes < evaluationSampleBytes {
            sample.append(document)
            sampleBytes += document.count
        }
        return sample
    }
}
