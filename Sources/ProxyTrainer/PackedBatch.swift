/// A batch of fixed-length sequences cut from the stream, ready for the engine.
///
/// Arrays are (batchSize, sequenceLength), row-major. Position t predicts `targets[t]`; a target
/// in another unit than its input (a document boundary) or past the stream has weight 0.
public struct PackedBatch: Sendable, Equatable {
    /// Sequences in the batch (B).
    public var batchSize: Int
    /// Positions per sequence (T).
    public var sequenceLength: Int
    /// Input ids.
    public var tokens: [Int32]
    /// Next-token targets.
    public var targets: [Int32]
    /// Loss weight of each target (0 masks it).
    public var weights: [Float]
    /// Token-after-next targets for the extra raw head, when enabled.
    public var extraTargets: [Int32]?
    /// Weights of the extra head.
    public var extraWeights: [Float]?
    /// The unit (document) of each input position, for the attention mask.
    public var documentIDs: [Int32]
    /// The view of each target, for the loss split by view.
    public var targetViews: [TokenView]
}
