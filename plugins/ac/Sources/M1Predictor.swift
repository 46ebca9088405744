import NeuralEngine
import WorkbenchCore

/// M1 as a `BytePredictor`: a deterministic-mode `InferenceSession` over one sequence, fed the
/// BOS token after each reset and then the context's bytes.
///
/// When the session is full, the context is re-seeded deterministically: reset, BOS, then the
/// last `capacity / 2` bytes. The context is therefore a pure function of the bytes appended
/// since the last reset, identical in encoder and decoder, and the re-fed positions are
/// bit-identical to a fresh run over the same tokens (deterministic mode).
final class M1Predictor: BytePredictor {
    private let session: InferenceSession
    private let compressor: String
    /// Bytes appended since the last `reset`.
    private var history: [UInt8] = []
    /// Index in `history` where the session's context starts.
    private var anchor = 0
    /// (history count at which a re-seed happened, the anchor before it), for `removeLast`.
    private var anchorLog: [(at: Int, previous: Int)] = []
    private(set) var probabilities: [Float] = []

    init(model: M1Model, compressor: String) throws(CodecError) {
        do {
            session = try InferenceSession(parameters: model.parameters, batchSize: 1, capacity: model.config.contextLength)
        } catch {
            throw CodecError(.pluginFailure, compressor: compressor, "cannot start M1 inference: \(error)")
        }
        self.compressor = compressor
    }

    private func step(_ token: Int32) throws(CodecError) {
        do {
            probabilities = try session.stepProbabilities([token])
        } catch {
            throw CodecError(.libraryFailure, compressor: compressor, "M1 inference failed: \(error)")
        }
    }

    private func refeed() throws(CodecError) {
        session.resetAll()
        try step(M1Model.bosToken)
        var index = anchor
        while index < history.count {
            try step(Int32(history[index]))
            index += 1
        }
    }

    func reset() throws(CodecError) {
        history.removeAll(keepingCapacity: true)
        anchor = 0
        anchorLog.removeAll()
        session.resetAll()
        try step(M1Model.bosToken)
    }

    func append(_ byte: UInt8) throws(CodecError) {
        if session.lengths[0] >= session.capacity {
            anchorLog.append((at: history.count, previous: anchor))
            anchor = history.count - max(0, session.capacity / 2 - 1)
            try refeed()
        }
        history.append(byte)
        try step(Int32(byte))
    }

    func removeLast(_ count: Int) throws(CodecError) {
        guard count > 0 else { return }
        history.removeLast(min(count, history.count))
        while let last = anchorLog.last, last.at >= history.count {
            anchor = last.previous
            anchorLog.removeLast()
        }
        try refeed()
    }
}
