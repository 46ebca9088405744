import WorkbenchCore

/// One learned merge: the adjacent tokens `left right` become `result`. Its rank is its index in
/// `BPEModel.merges` (lower ranks apply first when encoding).
public struct BPEMerge: Sendable, Hashable {
    /// Id of the left token.
    public var left: UInt32
    /// Id of the right token.
    public var right: UInt32
    /// Id of the token the pair becomes (its bytes are left's then right's).
    public var result: UInt32

    /// Creates a merge.
    public init(left: UInt32, right: UInt32, result: UInt32) {
        self.left = left
        self.right = right
        self.result = result
    }
}

/// A frozen byte-level BPE model: the bytes of every token, the merges in rank order, and the
/// pre-tokenizer that cuts documents into words. Trained by `BPETrainer`, read from and written
/// to HuggingFace tokenizer.json by `TokenizerJSON`, run by `BPETokenizer`.
public struct BPEModel: Sendable, Equatable {
    /// The bytes of token `id`, indexed by id.
    public var tokens: [[UInt8]]
    /// Merges in rank order.
    public var merges: [BPEMerge]
    /// The id that spells each single byte, indexed by byte value.
    public var byteTokens: [UInt32]
    /// How documents are cut into words.
    public var preTokenizer: PreTokenizer
    /// HuggingFace's `ignore_merges`: a word that is itself a token is emitted whole.
    public var ignoresMerges: Bool

    /// Number of token ids.
    public var vocabularySize: Int { tokens.count }

    /// Creates a model after checking that every id it mentions exists and every merge result
    /// spells its two parts.
    /// - Throws: `WorkbenchError` naming the first inconsistency.
    public init(
        tokens: [[UInt8]], merges: [BPEMerge], byteTokens: [UInt32], preTokenizer: PreTokenizer,
        ignoresMerges: Bool = false
    ) throws(WorkbenchError) {
        guard byteTokens.count == 256 else {
            throw WorkbenchError("BPE model: expected a token for each of the 256 bytes, got \(byteTokens.count)")
        }
        for (byte, id) in byteTokens.enumerated() {
            guard Int(id) < tokens.count, tokens[Int(id)] == [UInt8(byte)] else {
                throw WorkbenchError("BPE model: token \(id) does not spell byte \(byte)")
            }
        }
        for (rank, merge) in merges.enumerated() {
            let ids = [merge.left, merge.right, merge.result]
            guard ids.allSatisfy({ Int($0) < tokens.count }) else {
                throw WorkbenchError("BPE model: merge \(rank) mentions an id outside the vocabulary of \(tokens.count)")
            }
            guard tokens[Int(merge.result)] == tokens[Int(merge.left)] + tokens[Int(merge.right)] else {
                throw WorkbenchError("BPE model: merge \(rank) result \(merge.result) does not spell its two parts")
            }
        }
        guard tokens.count <= Int(Int32.max) else {
            throw WorkbenchError("BPE model: \(tokens.count) tokens is more than this implementation supports")
        }
        self.tokens = tokens
        self.merges = merges
        self.byteTokens = byteTokens
        self.preTokenizer = preTokenizer
        self.ignoresMerges = ignoresMerges
    }
}
