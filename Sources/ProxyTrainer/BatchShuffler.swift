import NeuralEngine
import WorkbenchCore

/// Batches drawn from a shuffled block of the packed stream, as the reference trainer's loader
/// does (`batch_and_shuffle_prefetched_sequences`: a buffer of 64 batches whose sequences are
/// shuffled together, "to reduce correlation inside batches, for example when a very long document
/// is encountered").
///
/// Why: the packer lays documents out whole, so a 100 KB document fills dozens of consecutive
/// sequences; without shuffling, a short run's batches come from one document (or one view) at a
/// time, and its loss and final weights depend on which document it happened to end on. Measured
/// on the quick preset, this was the main source of seed-to-seed spread (see the README's proxy
/// experiment).
///
/// A block of `blockBatches` batches is generated from the stream, its sequences permuted with a
/// generator seeded by the run's seed and the block's index, and served in order. The state is the
/// stream's state at the block's start plus the batches served, so a resumed run regenerates the
/// block and continues with exactly the batches an uninterrupted run would see. With
/// `blockBatches` 1 the stream passes through unchanged.
public struct BatchShuffler: Sendable {
    /// Everything needed to continue exactly.
    public struct State: Sendable, Codable, Equatable {
        /// The stream's state when the current block was generated, or, when every batch of the
        /// block has been served, the state after it.
        public var stream: SequencePacker.State
        /// Index of the current block (0-based), or -1 before the first.
        public var block: Int
        /// Batches of the current block already served.
        public var served: Int

        enum CodingKeys: String, CodingKey { case stream, block, served }
    }

    /// Batches per block for new runs: the reference trainer's prefetch size.
    public static let defaultBlockBatches = 64

    /// The packed stream.
    public private(set) var packer: SequencePacker
    /// Batches per shuffled block (1: no shuffling).
    public let blockBatches: Int
    private var rows: [PackedBatch] = []
    private var blockState: State

    /// A shuffler over `packer`, at the packer's current state.
    public init(packer: SequencePacker, blockBatches: Int) {
        self.packer = packer
        self.blockBatches = max(1, blockBatches)
        blockState = State(stream: packer.state, block: -1, served: 0)
    }

    /// The state to checkpoint; setting it restores a saved one (the block is regenerated lazily).
    public var state: State {
        get {
            // A finished (or unopened) block is resumed from the stream's current state: the next
            // block starts there. An open one is resumed from its start and regenerated.
            guard blockBatches > 1, blockState.block >= 0, blockState.served < blockBatches else {
                return State(stream: packer.state, block: blockState.block, served: blockState.block < 0 ? 0 : blockBatches)
            }
            return blockState
        }
        set {
            blockState = newValue
            packer.state = newValue.stream
            rows = []
        }
    }

    /// The stream's counters so far (documents drawn per view, compressed bytes and symbols),
    /// including the documents of the current block.
    public var streamState: SequencePacker.State { packer.state }

    /// The batch for training step `step`.
    /// - Throws: what the document source raised preparing a document (a `CodecError`).
    public mutating func nextBatch(step: Int, batchSize: Int) throws -> PackedBatch {
        guard blockBatches > 1 else { return try packer.nextBatch(step: step, batchSize: batchSize) }
        if blockState.block < 0 || blockState.served >= blockBatches {
            blockState = State(stream: packer.state, block: blockState.block + 1, served: 0)
            rows = []
        }
        if rows.isEmpty { try generateBlock(firstStep: step - blockState.served, batchSize: batchSize) }
        let start = blockState.served * batchSize
        blockState.served += 1
        return PackedBatch(concatenating: Array(rows[start..<start + batchSize]))
    }

    /// Regenerates the current block from its starting stream state and shuffles its sequences.
    private mutating func generateBlock(firstStep: Int, batchSize: Int) throws {
        packer.state = blockState.stream
        var all: [PackedBatch] = []
        all.reserveCapacity(blockBatches * batchSize)
        for offset in 0..<blockBatches {
            all += try packer.nextBatch(step: max(0, firstStep) + offset, batchSize: batchSize).rows()
        }
        var generator = SplitMix64(seed: packer.seed ^ 0x5348_5546_464C_4552 &+ UInt64(blockState.block) &* 0x9E37_79B9_7F4A_7C15)
        rows = all.shuffled(using: &generator)
    }
}
