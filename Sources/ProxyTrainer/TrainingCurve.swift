/// One point of a run's curve: where the run was and what it measured.
public struct CurvePoint: Sendable, Codable, Equatable {
    /// Optimizer steps completed.
    public var step: Int
    /// Training FLOPs spent so far.
    public var flops: Double
    /// Tokens consumed so far (B x T per step).
    public var tokens: Int
    /// Mean training loss (nats per weighted target) over the steps since the last point.
    public var trainLoss: Double?
    /// Mean loss on raw targets since the last point.
    public var rawLoss: Double?
    /// Mean loss on compressed targets since the last point.
    public var compressedLoss: Double?
    /// Raw-byte bits per byte on the evaluation sample (or the whole valid split at the end).
    public var rawBitsPerByte: Double?
    /// Wall seconds since the run (first) started, excluding time before a resume.
    public var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case step, flops, tokens, trainLoss = "train_loss", rawLoss = "raw_loss", compressedLoss = "compressed_loss"
        case rawBitsPerByte = "raw_bits_per_byte", wallSeconds = "wall_seconds"
    }
}

/// The final record of a training run: `result.json`.
public struct ProxyRunResult: Sendable, Codable, Equatable {
    /// Format marker.
    public var schema = "workbench.train/1"
    /// The run's configuration.
    public var config: ProxyRunConfig
    /// The compressor's canonical spec and alphabet, when there is a compressed view.
    public var compressorDescriptor: CompressorDescriptorRecord?
    /// Model vocabulary size (64 + 256 + compressed symbols).
    public var vocabularySize: Int
    /// Model parameters.
    public var parameters: Int
    /// FLOPs per training step and the formula.
    public var flopsPerStep: Double
    /// How FLOPs are counted.
    public var flopsFormula: String
    /// Final evaluation on the whole valid split.
    public var evaluation: RawByteEvaluation
    /// The compressor's own view on the valid split, in bits per raw byte (compressed-only runs).
    public var compressedViewEvaluation: RawByteEvaluation?
    /// Periodic points.
    public var curve: [CurvePoint]
    /// Share of compressed views actually drawn, and documents per view choice.
    public var drawCounts: [String: Int]
    /// Training tokens per second (steps only, evaluation excluded).
    public var tokensPerSecond: Double
    /// The OpenBLAS kernel family the training ran on (`SkylakeX`, `Prescott`...): it sets the speed.
    public var blasCore: String?
    /// Who trained it, when not this workbench (the PyTorch trainer writes its version, device,
    /// world size, parallelism and precision); nil for the workbench's own runs.
    public var trainer: String? = nil

    enum CodingKeys: String, CodingKey {
        case schema, config, compressorDescriptor = "compressor", vocabularySize = "vocabulary_size", parameters
        case flopsPerStep = "flops_per_step", flopsFormula = "flops_formula", evaluation
        case compressedViewEvaluation = "compressed_view_evaluation", curve
        case drawCounts = "draw_counts", tokensPerSecond = "tokens_per_second", blasCore = "blas_core", trainer
    }
}

/// What a result records of its compressor.
public struct CompressorDescriptorRecord: Sendable, Codable, Equatable {
    /// Canonical spec.
    public var spec: String
    /// Alphabet size.
    public var alphabetSize: Int
    /// Bytes per symbol of the training documents the stream drew with a compressed view.
    public var trainBytesPerSymbol: Double?

    enum CodingKeys: String, CodingKey {
        case spec, alphabetSize = "alphabet_size", trainBytesPerSymbol = "train_bytes_per_symbol"
    }
}
