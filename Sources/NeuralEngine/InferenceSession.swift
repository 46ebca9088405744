import Dispatch

/// Incremental inference with a key/value cache over a batch of independent sequences, in
/// deterministic mode.
///
/// Every number is computed by the engine's own fixed-order SIMD kernels (never OpenBLAS, whose
/// results depend on call shape and threads; see docs/performance.md): a row's logits depend only on the
/// weights and that sequence's tokens, so `step` one position at a time, `sequenceLogits` over a
/// whole sequence, any batch size and any `EngineThreads.count` give bit-identical results (for
/// a given binary). The arithmetic coder relies on this.
///
/// Positions count from the last `reset` of each sequence (and, in `sequenceLogits`, from each
/// document's start), matching training.
public final class InferenceSession {
    /// The architecture.
    public let config: ModelConfig
    /// Independent sequences decoded together.
    public let batchSize: Int
    /// Positions each sequence can hold before it must be reset.
    public let capacity: Int
    /// Tokens currently cached per sequence.
    public private(set) var lengths: [Int]

    let kernels: DeterministicKernels
    let kCache: [FPtr]  // per layer (B, C, keyStride): keys channel-major, 16 positions per load
    let keyStride: Int
    let vCache: [FPtr]  // per layer (B, capacity, C)
    let logitsBuffer: FPtr  // (B, V)
    let rows: RowBuffers  // (B, ·) activations of the current step
    let scores: [FPtr]  // per worker (keyStride)

    /// A session over a copy of `parameters`.
    /// - Parameters:
    ///   - batchSize: number of independent sequences.
    ///   - capacity: positions per sequence (defaults to the config's context length).
    /// - Throws: `EngineError.invalidConfig` for an impossible config or sizes.
    public init(parameters: Parameters, batchSize: Int = 1, capacity: Int? = nil) throws {
        try parameters.config.validate()
        let cap = capacity ?? parameters.config.contextLength
        guard batchSize >= 1, cap >= 1 else { throw EngineError.invalidConfig("batchSize and capacity must be >= 1") }
        config = parameters.config
        self.batchSize = batchSize
        self.capacity = cap
        lengths = [Int](repeating: 0, count: batchSize)
        kernels = DeterministicKernels(parameters: parameters, maxPositions: cap)
        let c = config.width
        keyStride = keyStrideFor(cap)
        let ks = keyStride
        kCache = (0..<config.layers).map { _ in allocateFloats(batchSize * c * ks) }
        vCache = (0..<config.layers).map { _ in allocateFloats(batchSize * cap * c) }
        logitsBuffer = allocateFloats(batchSize * config.vocabularySize)
        rows = RowBuffers(config: config, rows: batchSize)
        scores = (0..<max(1, EngineThreads.count)).map { _ in allocateFloats(ks) }
    }

    deinit {
        for p in kCache { p.deallocate() }
        for p in vCache { p.deallocate() }
        for p in scores { p.deallocate() }
        logitsBuffer.deallocate()
    }

    /// Forgets sequence `index`'s context (its next token is at position 0).
    public func reset(sequence index: Int) {
        if index >= 0 && index < batchSize { lengths[index] = 0 }
    }

    /// Forgets every sequence's context.
    public func resetAll() {
        for i in 0..<batchSize { lengths[i] = 0 }
    }

    /// Appends one token to each sequence and returns the next-token logits (B, V) row-major.
    /// - Parameter tokens: one id per sequence (`batchSize` entries).
    /// - Throws: `EngineError.invalidBatch` for a wrong count, an id out of range or a full
    ///   sequence (reset it first).
    public func step(_ tokens: [Int32]) throws -> [Float] {
        try stepInPlace(tokens)
        return Array(UnsafeBufferPointer(start: logitsBuffer, count: batchSize * config.vocabularySize))
    }

    /// Like `step`, but returns next-token probabilities (deterministic softmax) (B, V).
    public func stepProbabilities(_ tokens: [Int32]) throws -> [Float] {
        try stepInPlace(tokens)
        let v = config.vocabularySize
        for b in 0..<batchSize { softmaxInPlace(logitsBuffer + b * v, v) }
        return Array(UnsafeBufferPointer(start: logitsBuffer, count: batchSize * v))
    }

    func stepInPlace(_ tokens: [Int32]) throws {
        guard tokens.count == batchSize else {
            throw EngineError.invalidBatch("step needs \(batchSize) tokens, got \(tokens.count)")
        }
        for (i, t) in tokens.enumerated() {
            guard t >= 0 && Int(t) < config.vocabularySize else {
                throw EngineError.invalidBatch("tokens[\(i)] = \(t) outside 0..<\(config.vocabularySize)")
            }
            guard lengths[i] < capacity else {
                throw EngineError.invalidBatch("sequence \(i) is full (\(capacity) positions); reset it")
            }
        }
        let c = config.width, cap = capacity, ks = keyStride
        let k = kernels, kc = kCache, vc = vCache, lens = lengths, out = logitsBuffer, r = rows, sc = scores
        // Sequences are independent: each worker runs every layer over its own band of rows.
        let run: (Range<Int>, FPtr) -> Void = { band, scoreBuffer in
            for b in band { k.embed(r.x + b * c, Int(tokens[b])) }
            for l in 0..<k.config.layers {
                k.attentionInput(
                    l, r, band, position: { lens[$0] },
                    keyColumn: { kc[l] + $0 * c * ks + lens[$0] }, keyStride: ks,
                    values: { vc[l] + ($0 * cap + lens[$0]) * c })
                k.attentionOutputAndMLP(
                    l, r, band, scores: scoreBuffer, count: { lens[$0] + 1 },
                    keys: { kc[l] + $0 * c * ks }, keyStride: ks,
                    values: { vc[l] + $0 * cap * c })
            }
            k.head(out, r, band)
        }
        forBands(batchSize, workers: sc.count) { band, w in run(band, sc[w]) }
        for b in 0..<batchSize { lengths[b] += 1 }
    }

    /// Deterministic logits (T, V) for every position of one sequence, computed layer by layer
    /// over all positions (in parallel) with the same kernels as `step`: bit-identical to
    /// feeding the tokens one at a time (resetting at each new document).
    /// - Parameter documentIDs: optional per-position ids; a position sees only its own run.
    /// - Throws: `EngineError.invalidBatch` for ids out of range or mismatched lengths.
    public static func sequenceLogits(parameters: Parameters, tokens: [Int32], documentIDs: [Int32]? = nil) throws -> [Float] {
        let config = parameters.config
        try config.validate()
        let t = tokens.count
        guard t > 0 else { return [] }
        if let i = tokens.firstIndex(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
            throw EngineError.invalidBatch("tokens[\(i)] = \(tokens[i]) outside 0..<\(config.vocabularySize)")
        }
        if let d = documentIDs, d.count != t {
            throw EngineError.invalidBatch("documentIDs has \(d.count) entries, expected \(t)")
        }
        let starts = TrainingBatch(
            batchSize: 1, sequenceLength: t, tokens: tokens, targets: tokens,
            documentIDs: documentIDs
        ).documentStarts()
        let k = DeterministicKernels(parameters: parameters, maxPositions: t)
        let c = config.width, v = config.vocabularySize
        let ks = keyStrideFor(t)
        let keys = (0..<config.layers).map { _ in allocateFloats(c * ks) }  // (C, ks) per layer
        let values = (0..<config.layers).map { _ in allocateFloats(t * c) }
        let r = RowBuffers(config: config, rows: t)
        let workers = max(1, EngineThreads.count)
        let sc = (0..<workers).map { _ in allocateFloats(ks) }
        defer { keys.forEach { $0.deallocate() }; values.forEach { $0.deallocate() }; sc.forEach { $0.deallocate() } }
        var out = [Float](repeating: 0, count: t * v)
        for i in 0..<t { k.embed(r.x + i * c, Int(tokens[i])) }
        for l in 0..<config.layers {
            // all keys and values of the layer first: later rows attend to earlier ones
            forBands(t, workers: workers) { band, _ in
                k.attentionInput(
                    l, r, band, position: { $0 - Int(starts[$0]) }, keyColumn: { keys[l] + $0 },
                    keyStride: ks, values: { values[l] + $0 * c })
            }
            forBands(t, workers: workers) { band, w in
                k.attentionOutputAndMLP(
                    l, r, band, scores: sc[w], count: { $0 - Int(starts[$0]) + 1 },
                    keys: { keys[l] + Int(starts[$0]) }, keyStride: ks,
                    values: { values[l] + Int(starts[$0]) * c })
            }
        }
        out.withUnsafeMutableBufferPointer { ob in
            let o = ob.baseAddress!
            forBands(t, workers: workers) { band, _ in k.head(o, r, band) }
        }
        return out
    }
}
