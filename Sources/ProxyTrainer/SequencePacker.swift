import NeuralEngine
import WorkbenchCore

/// Turns documents into an endless, seeded, checkpointable stream of packed batches.
///
/// Documents are visited in a seeded shuffle per epoch. When a document enters the stream, the
/// schedule's rate and mode at the current step decide its views (`StreamMode.draw`), and
/// `StreamBuilder` lays it out. Units are concatenated and cut into windows of T + 1 tokens
/// (T inputs, T targets) that overlap by one token, so no token is lost between sequences; a unit
/// cut at a window's end continues in the next. The whole state is `PackerState`, so a resumed run
/// produces exactly the batches an uninterrupted one would.
public struct SequencePacker: Sendable {
    /// Everything needed to continue the stream exactly.
    public struct State: Sendable, Codable, Equatable {
        /// Current epoch (0-based); each epoch has its own shuffle.
        public var epoch: Int
        /// Next position in the epoch's shuffled order.
        public var cursor: Int
        /// The generator of per-document draws.
        public var drawGenerator: SplitMix64
        /// Stream tokens produced but not yet consumed, with their views and unit ids.
        public var pendingTokens: [Int32]
        /// Views of the pending tokens.
        public var pendingViews: [UInt8]
        /// Unit ids of the pending tokens.
        public var pendingUnits: [Int32]
        /// Next unit id to assign (wraps; only equality of neighbours matters).
        public var nextUnit: Int32
        /// Documents drawn per view choice so far: raw, compressed, both.
        public var drawCounts: [Int]
        /// Raw bytes and symbols of the documents drawn with a compressed view so far: the rate
        /// of what the model saw.
        public var compressedRawBytes = 0
        public var compressedSymbols = 0

        enum CodingKeys: String, CodingKey {
            case epoch, cursor, drawGenerator = "draw_generator", pendingTokens = "pending_tokens"
            case pendingViews = "pending_views", pendingUnits = "pending_units", nextUnit = "next_unit"
            case drawCounts = "draw_counts", compressedRawBytes = "compressed_raw_bytes", compressedSymbols = "compressed_symbols"
        }

        init(
            epoch: Int, cursor: Int, drawGenerator: SplitMix64, pendingTokens: [Int32], pendingViews: [UInt8],
            pendingUnits: [Int32], nextUnit: Int32, drawCounts: [Int]
        ) {
            self.epoch = epoch
            self.cursor = cursor
            self.drawGenerator = drawGenerator
            self.pendingTokens = pendingTokens
            self.pendingViews = pendingViews
            self.pendingUnits = pendingUnits
            self.nextUnit = nextUnit
            self.drawCounts = drawCounts
        }

        /// Decodes a state; checkpoints written before the rate counters existed read them as 0.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                epoch: try c.decode(Int.self, forKey: .epoch), cursor: try c.decode(Int.self, forKey: .cursor),
                drawGenerator: try c.decode(SplitMix64.self, forKey: .drawGenerator),
                pendingTokens: try c.decode([Int32].self, forKey: .pendingTokens),
                pendingViews: try c.decode([UInt8].self, forKey: .pendingViews),
                pendingUnits: try c.decode([Int32].self, forKey: .pendingUnits),
                nextUnit: try c.decode(Int32.self, forKey: .nextUnit),
                drawCounts: try c.decode([Int].self, forKey: .drawCounts))
            compressedRawBytes = try c.decodeIfPresent(Int.self, forKey: .compressedRawBytes) ?? 0
            compressedSymbols = try c.decodeIfPresent(Int.self, forKey: .compressedSymbols) ?? 0
        }
    }

    /// Documents of the training split (tokenized in memory, or a lazily compressing `ProxyCorpus`).
    public let documents: any ProxyDocumentSource
    /// Rate and mode per step.
    public let schedule: RateSchedule
    /// Positions per sequence.
    public let sequenceLength: Int
    /// Whether to emit targets for the extra raw head (token after next, reference weights).
    public let extraHead: Bool
    /// Seed of the shuffles and draws.
    public let seed: UInt64
    /// The stream state.
    public var state: State

    /// Creates a packer at the start of the stream.
    /// - Throws: `ProxyTrainerError` for an empty corpus, a sequence too short to hold one
    ///   document's sentinels, or an invalid schedule.
    public init(
        documents: any ProxyDocumentSource, schedule: RateSchedule, sequenceLength: Int, extraHead: Bool, seed: UInt64
    ) throws(ProxyTrainerError) {
        guard documents.count > 0 else { throw ProxyTrainerError("no training documents") }
        // bos + <view> + at least one content token + </view> + eos must fit with its target.
        guard sequenceLength >= 6 else {
            throw ProxyTrainerError(
                "sequence length \(sequenceLength) cannot hold one document's sentinels (bos, open, content, close, eos); use at least 6"
            )
        }
        try schedule.validate()
        self.documents = documents
        self.schedule = schedule
        self.sequenceLength = sequenceLength
        self.extraHead = extraHead
        self.seed = seed
        self.state = State(
            epoch: 0, cursor: 0, drawGenerator: SplitMix64(seed: seed ^ 0xD2A3), pendingTokens: [], pendingViews: [],
            pendingUnits: [], nextUnit: 0, drawCounts: [0, 0, 0])
    }

    /// The shuffled document order of an epoch (a pure function of seed and epoch).
    func order(epoch: Int) -> [Int] {
        var generator = SplitMix64(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        return Array(0..<documents.count).shuffled(using: &generator)
    }

    /// The current epoch's order, kept between calls (not part of the state: a pure function of it).
    private var epochOrder: (epoch: Int, order: [Int])?

    /// Tokens one sequence needs beyond its inputs: the next target, and the one after for the extra head.
    private var lookahead: Int { extraHead ? 2 : 1 }

    /// The batch for training step `step`.
    /// - Throws: what the document source raised preparing a document (a `CodecError`).
    public mutating func nextBatch(step: Int, batchSize: Int) throws -> PackedBatch {
        let t = sequenceLength
        var tokens: [Int32] = [], targets: [Int32] = [], weights: [Float] = [], documentIDs: [Int32] = []
        var extraTargets: [Int32] = [], extraWeights: [Float] = [], targetViews: [TokenView] = []
        tokens.reserveCapacity(batchSize * t)
        targets.reserveCapacity(batchSize * t)
        // With the extra head, raw targets share their weight between the two heads (1/2 + 1/2).
        let rawWeight: Float = extraHead ? 0.5 : 1
        for _ in 0..<batchSize {
            try fill(upTo: t + lookahead, step: step)
            for position in 0..<t {
                let target = position + 1
                let sameUnit = state.pendingUnits[target] == state.pendingUnits[position]
                let view = TokenView(rawValue: state.pendingViews[target]) ?? .special
                tokens.append(state.pendingTokens[position])
                documentIDs.append(state.pendingUnits[position])
                targets.append(state.pendingTokens[target])
                targetViews.append(view)
                weights.append(sameUnit ? (view == .raw ? rawWeight : 1) : 0)
                if extraHead {
                    let after = position + 2
                    let ok =
                        sameUnit && view == .raw && state.pendingUnits[after] == state.pendingUnits[position]
                        && TokenView(rawValue: state.pendingViews[after]) == .raw
                    extraTargets.append(ok ? state.pendingTokens[after] : ProxyVocabulary.pad)
                    extraWeights.append(ok ? 0.5 : 0)
                }
            }
            // Consume T tokens: the last target becomes the next sequence's first input.
            state.pendingTokens.removeFirst(t)
            state.pendingViews.removeFirst(t)
            state.pendingUnits.removeFirst(t)
        }
        let training = TrainingBatch(
            batchSize: batchSize, sequenceLength: t, tokens: tokens, targets: targets, weights: weights,
            extraTargets: extraHead ? extraTargets : nil, extraWeights: extraHead ? extraWeights : nil,
            documentIDs: documentIDs)
        return PackedBatch(training: training, targetViews: targetViews)
    }

    /// Appends documents to the pending stream until it holds `count` tokens.
    private mutating func fill(upTo count: Int, step: Int) throws {
        let (rate, mode) = schedule.phase(at: step)
        while state.pendingTokens.count < count {
            if epochOrder?.epoch != state.epoch { epochOrder = (state.epoch, order(epoch: state.epoch)) }
            let permutation = epochOrder?.order ?? []
            if state.cursor >= permutation.count {
                state.epoch += 1
                state.cursor = 0
                continue
            }
            let document = try documents.document(at: permutation[state.cursor], upcoming: permutation[(state.cursor + 1)...])
            state.cursor += 1
            let views = mode.draw(rate: rate, using: &state.drawGenerator)
            let rawFirst = Bool.random(using: &state.drawGenerator)
            state.drawCounts[views == .raw ? 0 : views == .compressed ? 1 : 2] += 1
            if views != .raw {
                state.compressedRawBytes += document.raw.count
                state.compressedSymbols += document.compressed.count
            }
            for unit in StreamBuilder.units(for: document, views: views, mode: mode, rawFirst: rawFirst) {
                state.pendingTokens.append(contentsOf: unit.tokens)
                state.pendingViews.append(contentsOf: unit.views.map(\.rawValue))
                state.pendingUnits.append(contentsOf: repeatElement(state.nextUnit, count: unit.tokens.count))
                state.nextUnit = state.nextUnit == Int32.max ? 0 : state.nextUnit + 1
            }
        }
    }
}
