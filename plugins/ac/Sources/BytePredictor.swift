import WorkbenchCore

/// The one thing the arithmetic coder needs from a byte model: next-byte probabilities for the
/// current context, a way to extend the context by one byte, and a way to forget it.
///
/// It sits between the coder and M1 so that tests can drive the coder with synthetic
/// distributions (uniform, skewed) and so that the coder never sees a tensor. An encoder and
/// its decoder must call the same methods in the same order with the same bytes; a conforming
/// predictor must then return bit-identical probabilities on both sides (M1 does, through
/// NeuralEngine's deterministic mode).
public protocol BytePredictor: AnyObject {
    /// Forgets the context: the next prediction is the one after a reset (M1: after BOS).
    /// - Throws: `CodecError` when the model fails.
    func reset() throws(CodecError)

    /// Appends one byte to the context and computes the prediction for the byte after it.
    /// - Throws: `CodecError` when the model fails.
    func append(_ byte: UInt8) throws(CodecError)

    /// Drops the last `count` appended bytes, restoring the context (and prediction) that held
    /// before them. Rare (an equal-info window that stepped back); may recompute.
    /// - Throws: `CodecError` when the model fails.
    func removeLast(_ count: Int) throws(CodecError)

    /// Next-byte weights for the current context: 256 finite, non-negative values on any scale
    /// (they are normalized during quantization). Valid after `reset` or `append`.
    var probabilities: [Float] { get }
}
