import WorkbenchCore

/// The reference code's vocabulary: 64 special ids, 256 raw bytes, then the compressor's symbols.
///
/// ```
/// 0 pad, 1 bos, 2 eos, 3 unk, 12 <raw>, 13 </raw>, 14 <compressed>, 15 </compressed> (0..63 reserved)
/// 64 + b      raw byte b
/// 320 + v     compressed symbol v ("separate embedding", the default)
/// ```
/// A compressor that passes raw bytes through (descriptor `passesRawBytesThrough`) uses symbols
/// 0..255 for those bytes: they map to the raw-byte ids, and symbol 256 + v maps to 320 + v. A
/// byte-valued compressor (alphabet 256) may instead share the raw-byte rows (`sharedByteEmbedding`).
///
/// In the bytes view (`CompressedView.bytes`) a compressed symbol v of a wider alphabet is
/// `symbolBytes` tokens 320 + (byte of v), most significant first, and the compressed rows are 256.
public struct ProxyVocabulary: Sendable, Equatable, Codable {
    /// Padding (never a target).
    public static let pad: Int32 = 0
    /// Beginning of a document.
    public static let bos: Int32 = 1
    /// End of a document.
    public static let eos: Int32 = 2
    /// Unknown (unused by the workbench; kept for the reference layout).
    public static let unk: Int32 = 3
    /// Opens a raw view.
    public static let rawOpen: Int32 = 12
    /// Closes a raw view.
    public static let rawClose: Int32 = 13
    /// Opens a compressed view.
    public static let compressedOpen: Int32 = 14
    /// Closes a compressed view.
    public static let compressedClose: Int32 = 15
    /// First raw-byte id.
    public static let byteOffset: Int32 = 64
    /// First compressed-symbol id (separate embedding).
    public static let compressedOffset: Int32 = 320

    /// Symbols of the compressor's alphabet that are not passed-through bytes.
    public var compressedSymbols: Int
    /// Whether symbols 0..255 are raw bytes passed through.
    public var passesRawBytesThrough: Bool
    /// Whether a byte-valued compressor's symbols reuse the raw-byte rows 64..319.
    public var sharedByteEmbedding: Bool
    /// How symbols become tokens.
    public var view: CompressedView
    /// Tokens per compressed symbol: 1, or in the bytes view ceil(log2(compressed alphabet) / 8).
    public var symbolBytes: Int

    /// The most embedding rows the ids view allows: a wider alphabet (ac with 32-bit windows:
    /// 2^32 + 320 rows) cannot be an embedding; it trains in the bytes view.
    public static let maximumRows = 1 << 24

    /// The vocabulary for a compressor.
    /// - Throws: `WorkbenchError` when `sharedByteEmbedding` is asked of a compressor whose
    ///   symbols are not bytes, or when the ids view would need more than `maximumRows` rows.
    public init(
        descriptor: CompressorDescriptor?, sharedByteEmbedding: Bool = false, view: CompressedView = .ids
    ) throws(WorkbenchError) {
        guard let descriptor else {
            self.init(compressedSymbols: 0, passesRawBytesThrough: false, sharedByteEmbedding: false)
            return
        }
        if sharedByteEmbedding && (descriptor.alphabetSize > 256 || descriptor.passesRawBytesThrough) {
            throw WorkbenchError(
                "\(descriptor.id): a shared byte embedding needs byte-valued symbols (alphabet at most 256), but the alphabet is \(descriptor.alphabetSize); use the separate embedding"
            )
        }
        let passThrough = descriptor.passesRawBytesThrough
        let alphabet = sharedByteEmbedding ? 0 : (passThrough ? max(0, descriptor.alphabetSize - 256) : descriptor.alphabetSize)
        if view == .bytes && alphabet > 256 {
            self.init(
                compressedSymbols: 256, passesRawBytesThrough: passThrough, sharedByteEmbedding: false, view: .bytes,
                symbolBytes: Self.bytesPerSymbol(alphabet: alphabet))
            return
        }
        guard alphabet <= Self.maximumRows - Int(Self.compressedOffset) else {
            throw WorkbenchError(
                "\(descriptor.id): an alphabet of \(descriptor.alphabetSize) symbols needs more embedding rows than the ids view allows (\(Self.maximumRows)); train it with --compressed-view bytes"
            )
        }
        self.init(
            compressedSymbols: alphabet, passesRawBytesThrough: passThrough, sharedByteEmbedding: sharedByteEmbedding,
            view: view, symbolBytes: 1)
    }

    /// A vocabulary from its parts.
    public init(
        compressedSymbols: Int, passesRawBytesThrough: Bool, sharedByteEmbedding: Bool, view: CompressedView = .ids,
        symbolBytes: Int = 1
    ) {
        self.compressedSymbols = max(0, compressedSymbols)
        self.passesRawBytesThrough = passesRawBytesThrough
        self.sharedByteEmbedding = sharedByteEmbedding
        self.view = view
        self.symbolBytes = max(1, symbolBytes)
    }

    /// Bytes per symbol of an alphabet in the bytes view: ceil(log2(alphabet) / 8).
    public static func bytesPerSymbol(alphabet: Int) -> Int {
        var bits = 0
        while bits < 64 && (UInt64(1) << UInt64(bits)) < UInt64(max(alphabet, 1)) { bits += 1 }
        return max(1, (bits + 7) / 8)
    }

    enum CodingKeys: String, CodingKey {
        case compressedSymbols, passesRawBytesThrough, sharedByteEmbedding, view, symbolBytes
    }

    /// Decodes a vocabulary; one written before the bytes view existed is the ids view.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            compressedSymbols: try container.decode(Int.self, forKey: .compressedSymbols),
            passesRawBytesThrough: try container.decode(Bool.self, forKey: .passesRawBytesThrough),
            sharedByteEmbedding: try container.decode(Bool.self, forKey: .sharedByteEmbedding),
            view: try container.decodeIfPresent(CompressedView.self, forKey: .view) ?? .ids,
            symbolBytes: try container.decodeIfPresent(Int.self, forKey: .symbolBytes) ?? 1)
    }

    /// Rows of the model's embedding: 64 + 256 + compressed symbols (576 for byte-valued outputs).
    public var size: Int { Int(ProxyVocabulary.compressedOffset) + compressedSymbols }

    /// The id of raw byte `b`.
    @inline(__always) public static func byteID(_ byte: UInt8) -> Int32 { byteOffset + Int32(byte) }

    /// Whether an id is a raw byte.
    @inline(__always) public static func isByte(_ id: Int32) -> Bool { id >= byteOffset && id < compressedOffset }

    /// Appends the token(s) of compressor symbol `symbol`: one id, or `symbolBytes` sub-tokens in
    /// the bytes view. A symbol outside the alphabet gives ids outside the vocabulary (callers that
    /// take symbols from outside check `size`).
    @inline(__always)
    public func appendIDs(ofSymbol symbol: UInt32, to ids: inout [Int32]) {
        if sharedByteEmbedding || (passesRawBytesThrough && symbol < 256) {
            ids.append(ProxyVocabulary.byteOffset &+ Int32(truncatingIfNeeded: symbol))
            return
        }
        let value = UInt64(passesRawBytesThrough ? symbol - 256 : symbol)
        guard view == .bytes && symbolBytes > 1 else {
            ids.append(Int32(truncatingIfNeeded: Int64(ProxyVocabulary.compressedOffset) + Int64(value)))
            return
        }
        for byte in stride(from: symbolBytes - 1, through: 0, by: -1) {
            ids.append(ProxyVocabulary.compressedOffset + Int32((value >> UInt64(8 * byte)) & 0xFF))
        }
    }

    /// The tokens of a symbol sequence.
    public func ids(ofSymbols symbols: [UInt32]) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(symbols.count * symbolBytes)
        for symbol in symbols { appendIDs(ofSymbol: symbol, to: &ids) }
        return ids
    }

    /// The symbols behind a token sequence (the inverse of `ids(ofSymbols:)`).
    /// - Throws: `WorkbenchError` for an id that is not a symbol's, or a sequence that ends inside
    ///   a symbol's sub-tokens.
    public func symbols(ofIDs ids: [Int32]) throws(WorkbenchError) -> [UInt32] {
        var symbols: [UInt32] = []
        var index = 0
        while index < ids.count {
            let id = ids[index]
            if ProxyVocabulary.isByte(id) && (sharedByteEmbedding || passesRawBytesThrough) {
                symbols.append(UInt32(id - ProxyVocabulary.byteOffset))
                index += 1
                continue
            }
            let width = view == .bytes ? symbolBytes : 1
            guard index + width <= ids.count else {
                throw WorkbenchError("token \(index): the sequence ends inside a symbol of \(width) sub-tokens")
            }
            var value: UInt64 = 0
            for offset in 0..<width {
                let part = Int64(ids[index + offset]) - Int64(ProxyVocabulary.compressedOffset)
                guard part >= 0, part < Int64(width > 1 ? 256 : compressedSymbols) else {
                    throw WorkbenchError("token \(index + offset): id \(ids[index + offset]) is not a compressed symbol's")
                }
                value = value << 8 | UInt64(part)
            }
            let symbol = value + (passesRawBytesThrough ? 256 : 0)
            guard symbol <= UInt64(UInt32.max) else {
                throw WorkbenchError("token \(index): symbol \(symbol) does not fit 32 bits")
            }
            symbols.append(UInt32(symbol))
            index += width
        }
        return symbols
    }
}
