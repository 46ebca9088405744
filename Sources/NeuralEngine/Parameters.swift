/// One named tensor inside the flat parameter buffer.
public struct TensorSpec: Equatable, Sendable {
    /// PyTorch-style state-dict name, e.g. `blocks.0.attn.qkv.weight`.
    public var name: String
    /// Row-major shape; linear weights are (out, in) as in `torch.nn.Linear`.
    public var shape: [Int]
    /// Offset in floats from the start of the buffer.
    public var offset: Int
    /// Whether AdamW applies weight decay (matrices and embeddings yes, norm gains no).
    public var decays: Bool
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}

/// Where every tensor of a model lives in the flat buffer.
public struct ParameterLayout: Equatable, Sendable {
    /// Offsets of one block's tensors.
    public struct Block: Equatable, Sendable {
        public var norm1: Int  // (C)
        public var qkv: Int  // (3C, C)
        public var attnProj: Int  // (C, C)
        public var norm2: Int  // (C)
        public var fc: Int  // (4C, C)
        public var fcProj: Int  // (C, 4C)
    }
    public var embedding: Int  // (V, C)
    public var blocks: [Block]
    public var finalNorm: Int  // (C)
    public var head: Int  // (V, C)
    public var extraHead: Int?  // (V, C)
    /// All tensors in storage order.
    public var tensors: [TensorSpec]
    /// Total floats.
    public var count: Int

    /// The layout of `config` (assumed valid).
    public init(config: ModelConfig) {
        let v = config.vocabularySize, c = config.width, h = config.hiddenWidth
        var specs = [TensorSpec]()
        var offset = 0
        func add(_ name: String, _ shape: [Int], decays: Bool) -> Int {
            let spec = TensorSpec(name: name, shape: shape, offset: offset, decays: decays)
            specs.append(spec)
            offset += spec.count
            return spec.offset
        }
        embedding = add("wte.weight", [v, c], decays: true)
        var blocks = [Block]()
        for l in 0..<config.layers {
            let p = "blocks.\(l)."
            blocks.append(
                Block(
                    norm1: add(p + "norm1.weight", [c], decays: false),
                    qkv: add(p + "attn.qkv.weight", [3 * c, c], decays: true),
                    attnProj: add(p + "attn.proj.weight", [c, c], decays: true),
                    norm2: add(p + "norm2.weight", [c], decays: false),
                    fc: add(p + "mlp.fc.weight", [h, c], decays: true),
                    fcProj: add(p + "mlp.proj.weight", [c, h], decays: true)))
        }
        self.blocks = blocks
        finalNorm = add("norm_f.weight", [c], decays: false)
        head = add("head.weight", [v, c], decays: true)
        extraHead = config.extraHead ? add("head2.weight", [v, c], decays: true) : nil
        tensors = specs
        count = offset
    }
}

/// All weights of a model (or a same-shaped gradient or optimizer moment) in one flat buffer.
///
/// A value type: copying it snapshots the weights. Kernels take its storage pointer once per
/// call (`withUnsafeMutableBufferPointer`), never index the array in hot loops.
public struct Parameters: Equatable, Sendable {
    /// The model config these parameters belong to.
    public let config: ModelConfig
    /// Tensor offsets.
    public let layout: ParameterLayout
    /// Every float, in `layout.tensors` order.
    public var values: [Float]

    /// All-zero parameters (a gradient or optimizer buffer).
    /// - Throws: `EngineError.invalidConfig` for an impossible config.
    public init(zerosFor config: ModelConfig) throws {
        try config.validate()
        self.config = config
        layout = ParameterLayout(config: config)
        values = [Float](repeating: 0, count: layout.count)
    }

    /// Seeded initialization in the GPT-2 manner: normal(0, 0.02) for matrices and embedding,
    /// output projections of residual branches scaled by 1/sqrt(2·layers), norm gains 1.
    /// - Throws: `EngineError.invalidConfig` for an impossible config.
    public init(config: ModelConfig, seed: UInt64) throws {
        try self.init(zerosFor: config)
        var rng = SeededGenerator(seed: seed)
        let residualStd = 0.02 / Double(2 * config.layers).squareRoot()
        for spec in layout.tensors {
            let isNorm = spec.shape.count == 1
            let isResidualOut = spec.name.hasSuffix("attn.proj.weight") || spec.name.hasSuffix("mlp.proj.weight")
            let std = isResidualOut ? residualStd : 0.02
            for i in spec.offset..<(spec.offset + spec.count) {
                values[i] = isNorm ? 1 : Float(rng.nextNormal() * std)
            }
        }
    }

    /// The tensor called `name`, or nil.
    public func spec(named name: String) -> TensorSpec? {
        layout.tensors.first { $0.name == name }
    }

    /// A copy of one tensor's values.
    public func tensor(named name: String) -> [Float]? {
        guard let s = spec(named: name) else { return nil }
        return Array(values[s.offset..<(s.offset + s.count)])
    }

    /// Overwrites one tensor; returns false when the name is unknown or the count differs.
    @discardableResult
    public mutating func setTensor(named name: String, to newValues: [Float]) -> Bool {
        guard let s = spec(named: name), s.count == newValues.count else { return false }
        values.replaceSubrange(s.offset..<(s.offset + s.count), with: newValues)
        return true
    }
}
