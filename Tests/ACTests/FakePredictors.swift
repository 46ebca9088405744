import WorkbenchCore

@testable import ACPlugin

/// Every byte equally likely.
final class UniformPredictor: BytePredictor {
    let probabilities = [Float](repeating: 1, count: 256)
    func reset() throws(CodecError) {}
    func append(_ byte: UInt8) throws(CodecError) {}
    func removeLast(_ count: Int) throws(CodecError) {}
}

/// A context-dependent, strongly skewed model: after byte b, b + 1 takes most of the mass, a
/// few neighbours some, every other byte a little. Its context is the last byte only.
final class SkewedPredictor: BytePredictor {
    private var history: [UInt8] = []
    private(set) var probabilities: [Float] = []
    init() { recompute() }
    private func recompute() {
        let last = Int(history.last ?? 0)
        var p = [Float](repeating: 0.0005, count: 256)
        p[(last + 1) & 255] = 0.8
        p[(last + 2) & 255] = 0.1
        p[(last + 7) & 255] = 0.05
        probabilities = p
    }
    func reset() throws(CodecError) { history.removeAll(); recompute() }
    func append(_ byte: UInt8) throws(CodecError) { history.append(byte); recompute() }
    func removeLast(_ count: Int) throws(CodecError) { history.removeLast(min(count, history.count)); recompute() }
}

/// Pseudo-random distributions that depend on the whole context (a hash of it): adversarial
/// for the window rule (arbitrary boundaries, some near-zero and some dominant bytes).
final class HashedPredictor: BytePredictor {
    /// Hash of the context after each appended byte (FNV-style), so a step costs O(1).
    private var hashes: [UInt64] = []
    private(set) var probabilities: [Float] = []
    let seed: UInt64
    init(seed: UInt64) { self.seed = seed; recompute() }
    private func recompute() {
        let hash = hashes.last ?? seed
        var generator = SplitMix64(seed: hash)
        let sharpness = generator.next() & 3
        var p = [Float](repeating: 0, count: 256)
        for i in 0..<256 {
            let u = Float(UInt32(truncatingIfNeeded: generator.next() >> 40)) / Float(1 << 24)
            switch sharpness {
            case 0: p[i] = u
            case 1: p[i] = u * u * u * u
            case 2: p[i] = u > 0.98 ? 1 : 0
            default: p[i] = u * u
            }
        }
        probabilities = p
    }
    func reset() throws(CodecError) { hashes.removeAll(); recompute() }
    func append(_ byte: UInt8) throws(CodecError) {
        hashes.append(((hashes.last ?? seed) ^ UInt64(byte)) &* 0x100_0000_01B3)
        recompute()
    }
    func removeLast(_ count: Int) throws(CodecError) { hashes.removeLast(min(count, hashes.count)); recompute() }
}

/// A codec over a fake predictor.
func fakeCodec(
    window: Int, precision: Int, context: ACCodingSettings.ContextPolicy = .window, rawTails: Bool = false,
    segmentation: ACCodingSettings.Segmentation = .none, predictor: @escaping @Sendable () -> BytePredictor
) -> ACCodec {
    let settings = ACCodingSettings(
        windowBits: window, precision: precision, context: context, segmentation: segmentation, rawTails: rawTails)
    return ACCodec(settings: settings, compressor: "ac", cache: segmentation == .none ? nil : SegmentCache()) {
        () throws(CodecError) -> BytePredictor in predictor()
    }
}

func randomBytes(_ count: Int, seed: UInt64, below limit: UInt8 = 255) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...limit, using: &generator) }
}
