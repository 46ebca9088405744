import WorkbenchCore

/// The `bpe` compressor: a `BPETokenizer` whose ids are written in one of three representations.
public struct BPECompressor: Compressor {
    /// The tokenizer that produces the ids.
    public let tokenizer: BPETokenizer
    /// How ids become symbols.
    public let representation: BPERepresentation
    public let descriptor: CompressorDescriptor
    /// For `gray`: each id's rank in byte order, and the id at each rank.
    private let rankOfID: [UInt32]
    private let idOfRank: [UInt32]

    /// Creates the compressor.
    /// - Parameter options: the option values shown in the descriptor (they must rebuild it).
    /// - Throws: `WorkbenchError` when a 2-byte representation is asked of more than 65,536 tokens.
    public init(
        tokenizer: BPETokenizer, representation: BPERepresentation, options: [String: String]
    )
        throws(WorkbenchError)
    {
        let vocabulary = tokenizer.vocabularySize
        if representation != .ids, vocabulary > 65_536 {
            throw WorkbenchError(
                "bpe: as=\(representation.rawValue) writes each id in 2 bytes, but the vocabulary has \(vocabulary) tokens (at most 65536); use as=ids or a smaller vocab"
            )
        }
        self.tokenizer = tokenizer
        self.representation = representation
        if representation == .gray {
            let tokens = tokenizer.model.tokens
            let order = tokens.indices.sorted { a, b in
                tokens[a] == tokens[b] ? a < b : tokens[a].lexicographicallyPrecedes(tokens[b])
            }
            var rankOfID = [UInt32](repeating: 0, count: vocabulary)
            for (rank, id) in order.enumerated() { rankOfID[id] = UInt32(rank) }
            self.rankOfID = rankOfID
            self.idOfRank = order.map { UInt32($0) }
        } else {
            rankOfID = []
            idOfRank = []
        }
        descriptor = CompressorDescriptor(
            id: "bpe", displayName: "Byte-level BPE", options: options,
            alphabetSize: representation == .ids ? vocabulary : 256, givesSpans: true,
            collisionNote: representation == .ids
                ? "a token id always stands for the same byte string: no collisions, by construction"
                : "each token is two byte symbols whose span covers both, and collisions count single-symbol spans only")
    }

    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        let ids = tokenizer.encode(document)
        let spans = tokenizer.spans(of: ids, symbolsPerToken: representation.symbolsPerToken)
        switch representation {
        case .ids:
            return EncodedDocument(symbols: ids, spans: spans)
        case .bytes, .gray:
            var symbols = [UInt32](repeating: 0, count: ids.count * 2)
            let isGray = representation == .gray
            rankOfID.withUnsafeBufferPointer { ranks in
                for (index, id) in ids.enumerated() {
                    let value = isGray ? BPERepresentation.grayCode(ranks[Int(id)]) : id
                    symbols[2 * index] = value >> 8
                    symbols[2 * index + 1] = value & 0xFF
                }
            }
            return EncodedDocument(symbols: symbols, spans: spans)
        }
    }

    public func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        let symbols = encoded.symbols
        switch representation {
        case .ids:
            return try tokenizer.decode(symbols, maxOutputBytes: maxOutputBytes, compressor: descriptor.id)
        case .bytes, .gray:
            guard symbols.count % 2 == 0 else {
                throw CodecError(
                    .truncatedInput, compressor: descriptor.id,
                    "\(symbols.count) byte symbols is odd; as=\(representation.rawValue) writes 2 bytes per token")
            }
            var ids = [UInt32]()
            ids.reserveCapacity(symbols.count / 2)
            let vocabulary = UInt32(tokenizer.vocabularySize)
            for index in stride(from: 0, to: symbols.count, by: 2) {
                let high = symbols[index]
                let low = symbols[index + 1]
                guard high < 256, low < 256 else {
                    throw CodecError(
                        .symbolOutOfRange, compressor: descriptor.id,
                        "symbol \(max(high, low)) near index \(index) is not a byte (alphabet 256)")
                }
                let value = high << 8 | low
                if representation == .gray {
                    let rank = BPERepresentation.rank(ofGrayCode: value)
                    guard rank < vocabulary else {
                        throw CodecError(
                            .corruptInput, compressor: descriptor.id,
                            "Gray code \(value) at index \(index) is rank \(rank), not below the vocabulary size \(vocabulary)")
                    }
                    ids.append(idOfRank[Int(rank)])
                } else {
                    ids.append(value)
                }
            }
            return try tokenizer.decode(ids, maxOutputBytes: maxOutputBytes, compressor: descriptor.id)
        }
    }
}
