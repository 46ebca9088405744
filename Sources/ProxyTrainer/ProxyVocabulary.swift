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

    /// The vocabulary for a compressor.
    /// - Throws: `WorkbenchError` when `sharedByteEmbedding` is asked of a compressor whose
    ///   symbols are not bytes.
    public init(descriptor: CompressorDescriptor?, sharedByteEmbedding: Bool = false) throws(WorkbenchError) {
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
        self.init(
            compressedSymbols: sharedByteEmbedding ? 0 : (passThrough ? descriptor.alphabetSize - 256 : descriptor.alphabetSize),
            passesRawBytesThrough: passThrough, sharedByteEmbedding: sharedByteEmbedding)
    }

    /// A vocabulary from its parts.
    public init(compressedSymbols: Int, passesRawBytesThrough: Bool, sharedByteEmbedding: Bool) {
        self.compressedSymbols = max(0, compressedSymbols)
        self.passesRawBytesThrough = passesRawBytesThrough
        self.sharedByteEmbedding = sharedByteEmbedding
    }

    /// Rows of the model's embedding: 64 + 256 + compressed symbols (576 for byte-valued outputs).
    public var size: Int { Int(ProxyVocabulary.compressedOffset) + compressedSymbols }

    /// The id of raw byte `b`.
    @inline(__always) public static func byteID(_ byte: UInt8) -> Int32 { byteOffset + Int32(byte) }

    /// Whether an id is a raw byte.
    @inline(__always) public static func isByte(_ id: Int32) -> Bool { id >= byteOffset && id < compressedOffset }

    /// The id of compressor symbol `symbol`.
    public func id(ofSymbol symbol: UInt32) -> Int32 {
        if sharedByteEmbedding { return ProxyVocabulary.byteOffset + Int32(symbol) }
        if passesRawBytesThrough {
            return symbol < 256
                ? ProxyVocabulary.byteOffset + Int32(symbol) : ProxyVocabulary.compressedOffset + Int32(symbol - 256)
        }
        return ProxyVocabulary.compressedOffset + Int32(symbol)
    }
}
