/// One batch of packed sequences for training or scoring.
///
/// Every array is (batchSize, sequenceLength), row-major. Loss is
/// Σ weights·CE(targets) + Σ extraWeights·CE(extraTargets), divided by the sum of all weights
/// (so with the paper's weights, 1/2 + 1/2 at raw positions and 1 + 0 at compressed ones, it
/// is the mean per scored position). A weight of 0 masks a position.
public struct TrainingBatch: Sendable, Equatable {
    /// Sequences in the batch (B).
    public var batchSize: Int
    /// Positions per sequence (T).
    public var sequenceLength: Int
    /// Input token ids (B, T).
    public var tokens: [Int32]
    /// Next-token targets (B, T); any valid id where the weight is 0.
    public var targets: [Int32]
    /// Per-position loss weights (B, T), finite and >= 0.
    public var weights: [Float]
    /// Token-after-next targets for the extra head (B, T), or nil.
    public var extraTargets: [Int32]?
    /// Weights of the extra head (B, T), or nil (required with `extraTargets`).
    public var extraWeights: [Float]?
    /// Document id per position (B, T), or nil for plain causal attention. A position attends
    /// only to earlier positions of the same contiguous run of equal ids (its packed document),
    /// and its RoPE position counts from that run's start, so a packed document is computed as
    /// if it were alone. Ids that reappear after another id start a new document.
    public var documentIDs: [Int32]?

    /// A batch from explicit arrays; see the type's documentation for shapes.
    public init(
        batchSize: Int, sequenceLength: Int, tokens: [Int32], targets: [Int32], weights: [Float]? = nil,
        extraTargets: [Int32]? = nil, extraWeights: [Float]? = nil, documentIDs: [Int32]? = nil
    ) {
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.tokens = tokens
        self.targets = targets
        self.weights = weights ?? [Float](repeating: 1, count: tokens.count)
        self.extraTargets = extraTargets
        self.extraWeights = extraWeights
        self.documentIDs = documentIDs
    }

    /// Plain next-token batch from B windows of T + 1 tokens each (inputs are the first T,
    /// targets the last T), every position weighted 1.
    public init(windows: [[Int32]]) {
        let b = windows.count, t = max(0, (windows.first?.count ?? 1) - 1)
        var tok = [Int32](), tgt = [Int32]()
        tok.reserveCapacity(b * t); tgt.reserveCapacity(b * t)
        for w in windows {
            tok.append(contentsOf: w.prefix(t))
            tgt.append(contentsOf: w.dropFirst().prefix(t))
        }
        self.init(batchSize: b, sequenceLength: t, tokens: tok, targets: tgt)
    }

    /// Checks lengths, id ranges and weights against `config`.
    /// - Throws: `EngineError.invalidBatch` saying which array and index is wrong.
    public func validate(for config: ModelConfig) throws {
        func fail(_ m: String) throws -> Never { throw EngineError.invalidBatch(m) }
        if batchSize < 1 || sequenceLength < 1 { try fail("batchSize and sequenceLength must be >= 1") }
        let n = batchSize * sequenceLength
        if tokens.count != n { try fail("tokens has \(tokens.count) entries, expected \(n)") }
        if targets.count != n { try fail("targets has \(targets.count) entries, expected \(n)") }
        if weights.count != n { try fail("weights has \(weights.count) entries, expected \(n)") }
        let v = Int32(config.vocabularySize)
        if let i = tokens.firstIndex(where: { $0 < 0 || $0 >= v }) { try fail("tokens[\(i)] = \(tokens[i]) outside 0..<\(v)") }
        if let i = targets.firstIndex(where: { $0 < 0 || $0 >= v }) { try fail("targets[\(i)] = \(targets[i]) outside 0..<\(v)") }
        if let i = weights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            try fail("weights[\(i)] = \(weights[i]) must be finite and >= 0")
        }
        if (extraTargets == nil) != (extraWeights == nil) { try fail("extraTargets and extraWeights go together") }
        if let et = extraTargets, let ew = extraWeights {
            if !config.extraHead { try fail("extra-head targets given but the model has no extra head") }
            if et.count != n || ew.count != n { try fail("extraTargets/extraWeights must have \(n) entries") }
            if let i = et.firstIndex(where: { $0 < 0 || $0 >= v }) { try fail("extraTargets[\(i)] = \(et[i]) outside 0..<\(v)") }
            if let i = ew.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                try fail("extraWeights[\(i)] = \(ew[i]) must be finite and >= 0")
            }
        }
        if let d = documentIDs, d.count != n { try fail("documentIDs has \(d.count) entries, expected \(n)") }
    }

    /// First position of each position's document (B, T): the start of its run of equal ids.
    func documentStarts() -> [Int32] {
        var starts = [Int32](repeating: 0, count: batchSize * sequenceLength)
        guard let d = documentIDs else { return starts }
        for b in 0..<batchSize {
            let o = b * sequenceLength
            for t in 1..<max(1, sequenceLength) {
                starts[o + t] = d[o + t] == d[o + t - 1] ? starts[o + t - 1] : Int32(t)
            }
        }
        return starts
    }
}
