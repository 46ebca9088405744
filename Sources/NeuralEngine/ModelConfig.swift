/// The shape of a decoder-only transformer language model.
///
/// Architecture (fixed, so that a config fully describes a model):
/// - token embedding `wte` (vocabularySize, width), no learned positions;
/// - positions by rotary embedding (RoPE, Su et al. 2021, "rotate half" pairing: dimension i is
///   paired with i + headSize/2, angle pos * ropeBase^(-2i/headSize)). Chosen over learned
///   positions because attention scores then depend only on relative distance: a document packed
///   at offset 300 of a training sequence is computed exactly like the same document at offset 0
///   (which is what evaluation and the arithmetic coder's per-window resets see), and no table
///   ties the model to one context length;
/// - `layers` pre-norm blocks: x += proj(attn(rmsnorm(x))); x += fcProj(gelu(fc(rmsnorm(x))));
///   RMSNorm with a learned gain and no bias; linear layers have no biases; GELU is the tanh
///   approximation (PyTorch `gelu(approximate="tanh")`);
/// - a final RMSNorm, an untied output head (vocabularySize, width) and, when `extraHead` is set,
///   a second head predicting the token after next (the reference code's extra head).
public struct ModelConfig: Codable, Equatable, Hashable, Sendable {
    /// Rows of the embedding and of each output head.
    public var vocabularySize: Int
    /// Model width (channels, C).
    public var width: Int
    /// Number of transformer blocks.
    public var layers: Int
    /// Attention heads per block; must divide `width`, and the head size must be even (RoPE).
    public var heads: Int
    /// MLP hidden width as a multiple of `width` (4 in GPT-2).
    public var mlpMultiplier: Int
    /// Longest sequence the model is used with (sizes the KV cache; RoPE itself has no limit).
    public var contextLength: Int
    /// Whether the model has the extra head that predicts the token after next.
    public var extraHead: Bool
    /// RoPE base frequency.
    public var ropeBase: Float
    /// RMSNorm epsilon.
    public var normEpsilon: Float

    /// A config; call `validate()` (every initializer of the model does) before use.
    public init(
        vocabularySize: Int, width: Int, layers: Int, heads: Int, mlpMultiplier: Int = 4,
        contextLength: Int, extraHead: Bool = false, ropeBase: Float = 10_000, normEpsilon: Float = 1e-5
    ) {
        self.vocabularySize = vocabularySize
        self.width = width
        self.layers = layers
        self.heads = heads
        self.mlpMultiplier = mlpMultiplier
        self.contextLength = contextLength
        self.extraHead = extraHead
        self.ropeBase = ropeBase
        self.normEpsilon = normEpsilon
    }

    /// Channels per head.
    public var headSize: Int { heads > 0 ? width / heads : 0 }
    /// MLP hidden width.
    public var hiddenWidth: Int { width * mlpMultiplier }

    /// Refuses impossible configs before any work is done.
    /// - Throws: `EngineError.invalidConfig` naming the offending field.
    public func validate() throws {
        func fail(_ m: String) throws -> Never { throw EngineError.invalidConfig(m) }
        if vocabularySize < 2 { try fail("vocabularySize must be at least 2, got \(vocabularySize)") }
        if vocabularySize > 1 << 24 { try fail("vocabularySize \(vocabularySize) exceeds 2^24") }
        if width < 2 { try fail("width must be at least 2, got \(width)") }
        if layers < 1 { try fail("layers must be at least 1, got \(layers)") }
        if heads < 1 { try fail("heads must be at least 1, got \(heads)") }
        if width % heads != 0 { try fail("heads (\(heads)) must divide width (\(width))") }
        if (width / heads) % 2 != 0 { try fail("head size width/heads = \(width / heads) must be even for RoPE") }
        if mlpMultiplier < 1 { try fail("mlpMultiplier must be at least 1, got \(mlpMultiplier)") }
        if contextLength < 1 { try fail("contextLength must be at least 1, got \(contextLength)") }
        if contextLength > 1 << 20 { try fail("contextLength \(contextLength) exceeds 2^20") }
        if !(ropeBase > 1) || !ropeBase.isFinite { try fail("ropeBase must be finite and > 1, got \(ropeBase)") }
        if !(normEpsilon > 0) || !normEpsilon.isFinite { try fail("normEpsilon must be finite and > 0, got \(normEpsilon)") }
        let total = parameterCount
        if total > Int(Int32.max) { try fail("model has \(total) parameters, more than this engine supports (2^31)") }
    }

    /// Parameters in one block: two RMSNorm gains, qkv, attention projection and the MLP.
    public var parametersPerLayer: Int {
        2 * width + 3 * width * width + width * width + 2 * width * hiddenWidth
    }

    /// Every parameter, embedding and heads included.
    public var parameterCount: Int {
        vocabularySize * width + layers * parametersPerLayer + width
            + vocabularySize * width * (extraHead ? 2 : 1)
    }

    /// Parameters that take part in a matrix product for every token: all block matrices and
    /// the output head(s). The embedding lookup and the norm gains cost no multiply-adds.
    public var matmulParameterCount: Int {
        layers * (4 * width * width + 2 * width * hiddenWidth) + vocabularySize * width * (extraHead ? 2 : 1)
    }

    /// Training FLOPs per token: 6N + 12·L·C·T.
    ///
    /// N is `matmulParameterCount` (block matrices and output heads, not the embedding lookup);
    /// each such weight costs one multiply-add (2 FLOPs) per token forward and two backward (6N).
    /// Attention adds, per layer and token, 2·T·C for the scores QKᵀ and 2·T·C for the weighted
    /// sum with V forward (4·L·C·T), tripled for backward: 12·L·C·T, counting the whole T×T
    /// score matrix as in PaLM's model-FLOPs convention (Chowdhery et al. 2022, appendix B),
    /// although the causal mask lets the kernels skip about half of it. Element-wise work
    /// (norms, softmax, GELU, AdamW) is not counted. Use this for fixed-compute budgets.
    /// - Parameter sequenceLength: the training context T (defaults to `contextLength`).
    public func trainingFLOPsPerToken(sequenceLength: Int? = nil) -> Double {
        let t = Double(sequenceLength ?? contextLength)
        return 6 * Double(matmulParameterCount) + 12 * Double(layers) * Double(width) * t
    }

    /// Forward-only FLOPs per token, 2N + 4·L·C·T (same conventions as `trainingFLOPsPerToken`);
    /// for incremental decoding pass the average context length as `sequenceLength`.
    public func forwardFLOPsPerToken(sequenceLength: Int? = nil) -> Double {
        let t = Double(sequenceLength ?? contextLength)
        return 2 * Double(matmulParameterCount) + 4 * Double(layers) * Double(width) * t
    }
}
