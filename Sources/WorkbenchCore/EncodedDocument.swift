/// Symbols i..<j of an encoding cover raw bytes a..<b of the document.
public struct SymbolSpan: Sendable, Hashable, Codable {
    /// The symbols covered, as a half-open range of indices into `EncodedDocument.symbols`.
    public var symbols: Range<Int>
    /// The raw bytes covered, as a half-open range of byte offsets into the document.
    public var bytes: Range<Int>

    /// Creates a span.
    public init(symbols: Range<Int>, bytes: Range<Int>) {
        self.symbols = symbols
        self.bytes = bytes
    }
}

/// One document as a compressor sees it: a sequence of symbols, and where known, spans.
public struct EncodedDocument: Sendable, Equatable {
    /// Every value is below the compressor's `alphabetSize`.
    public var symbols: [UInt32]
    /// Where the compressor knows them: which raw bytes each run of symbols stands for,
    /// in order and without gaps. Nil for compressors whose output bits mix many bytes (zstd).
    public var spans: [SymbolSpan]?

    /// Creates an encoded document.
    public init(symbols: [UInt32], spans: [SymbolSpan]? = nil) {
        self.symbols = symbols
        self.spans = spans
    }

    /// The first index whose symbol is not below `alphabetSize`, or nil when all are valid.
    public func firstSymbol(notBelow alphabetSize: Int) -> Int? {
        let bound = UInt64(alphabetSize)
        return symbols.firstIndex { UInt64($0) >= bound }
    }
}

extension EncodedDocument {
    /// Wraps a byte-valued compressor's output (zstd, brotli, gzip) as symbols of alphabet 256.
    public init(bytes: [UInt8]) {
        self.init(symbols: bytes.map(UInt32.init), spans: nil)
    }

    /// The symbols as bytes, for byte-valued compressors.
    /// - Throws: `CodecError` naming the first symbol above 255: such input is not one of ours.
    public func bytes(compressor: String) throws(CodecError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(symbols.count)
        for (index, symbol) in symbols.enumerated() {
            guard symbol < 256 else {
                throw CodecError(
                    .symbolOutOfRange, compressor: compressor,
                    "symbol \(symbol) at index \(index) is not a byte (alphabet 256)")
            }
            out.append(UInt8(truncatingIfNeeded: symbol))
        }
        return out
    }
}
