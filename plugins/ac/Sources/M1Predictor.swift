import NeuralEngine
import WorkbenchCore

/// M1 as a `BytePredictor`: a deterministic-mode `InferenceSession` over one sequence, fed the
/// BOS token after each reset and then the context's bytes.
///
/// When the session is full, the context is re-seeded deterministically: reset, BOS, then the
/// last `capacity / 2` bytes. The context is therefore a pure function of the bytes appended
/// since the last reset, identical in encoder and decoder, and the re-fed positions are
/// bit-identical to a fresh run over the same tokens (deterministic mode).
///
/// With a `PredictionCache`, a short context whose probabilities are cached costs no model step:
/// the session lags behind the history and catches up (feeding the bytes it skipped) at the
/// next context that is not cached. The steps taken are never more than without the cache.
final class M1Predictor: BytePredictor {
    private let session: InferenceSession
    private let compressor: String
    private let cache: PredictionCache?
    /// Bytes appended since the last `reset`.
    private var history: [UInt8] = []
    /// Index in `history` where the session's context starts.
    private var anchor = 0
    /// (history count at which a re-seed happened, the anchor before it), for `removeLast`.
    private var anchorLog: [(at: Int, previous: Int)] = []
    /// Bytes of `history` the session holds (after BOS); nil when the session must restart.
    private var fed: Int?
    private(set) var probabilities: [Float] = []

    init(model: M1Model, compressor: String, cache: PredictionCache? = nil) throws(CodecError) {
        do {
            session = try InferenceSession(parameters: model.parameters, batchSize: 1, capacity: model.config.contextLength)
        } catch {
            throw CodecError(.pluginFailure, compressor: compressor, "cannot start M1 inference: \(error)")
        }
        self.compressor = compressor
        // Cached contexts stay shorter than half the capacity, so they never span a re-seed.
        self.cache = cache.flatMap { $0.maximumDepth < model.config.contextLength / 2 ? $0 : nil }
    }

    private func step(_ token: Int32) throws(CodecError) {
        do {
            probabilities = try session.stepProbabilities([token])
        } catch {
            throw CodecError(.libraryFailure, compressor: compressor, "M1 inference failed: \(error)")
        }
    }

    /// Brings the session up to the whole history (re-seeding at capacity exactly as feeding one
    /// byte at a time would), leaving `probabilities` for the current context.
    private func catchUp() throws(CodecError) {
        if fed == nil {
            session.resetAll()
            try step(M1Model.bosToken)
            fed = anchor
        }
        var position = fed ?? anchor
        while position < history.count {
            if session.lengths[0] >= session.capacity {
                anchorLog.append((at: position, previous: anchor))
                anchor = position - max(0, session.capacity / 2 - 1)
                session.resetAll()
                try step(M1Model.bosToken)
                for index in anchor..<position { try step(Int32(history[index])) }
            }
            try step(Int32(history[position]))
            position += 1
        }
        fed = position
    }

    /// Takes the current context's probabilities from the cache, or computes (and caches) them.
    private func predict() throws(CodecError) {
        let cacheable = cache != nil && anchor == 0 && history.count <= (cache?.maximumDepth ?? 0)
        if cacheable, let cached = cache?.lookup(history) {
            probabilities = cached
            return
        }
        try catchUp()
        if cacheable { cache?.insert(history, probabilities) }
    }

    func reset() throws(CodecError) {
        history.removeAll(keepingCapacity: true)
        anchor = 0
        anchorLog.removeAll()
        fed = nil
        try predict()
    }

    func append(_ byte: UInt8) throws(CodecError) {
        history.append(byte)
        try predict()
    }

    func removeLast(_ count: Int) throws(CodecError) {
        guard count > 0 else { return }
        history.removeLast(min(count, history.count))
        while let last = anchorLog.last, last.at >= history.count {
            anchor = last.previous
            anchorLog.removeLast()
        }
        fed = nil
        try predict()
    }
}
