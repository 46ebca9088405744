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
///
/// Byte-valued compressors (zstd, brotli, gzip) produce bytes; storing them as 32-bit symbols
/// would quadruple the memory every decode reads (measured: decode 7-10% slower than a C loop).
/// So the symbols are stored as bytes when they came from bytes, and as 32-bit words otherwise;
/// `symbols` reads either way, and `bytes(compressor:)` / `withByteSymbols` skip the widening.
public struct EncodedDocument: Sendable {
    enum Storage: Sendable {
        case words([UInt32])
        case bytes([UInt8])
    }

    var storage: Storage
    /// Where the compressor knows them: which raw bytes each run of symbols stands for,
    /// in order and without gaps. Nil for compressors whose output bits mix many bytes (zstd).
    public var spans: [SymbolSpan]?

    /// Creates an encoded document.
    public init(symbols: [UInt32], spans: [SymbolSpan]? = nil) {
        self.storage = .words(symbols)
        self.spans = spans
    }

    /// Wraps a byte-valued compressor's output (zstd, brotli, gzip) as symbols of alphabet 256,
    /// without widening it.
    public init(bytes: [UInt8], spans: [SymbolSpan]? = nil) {
        self.storage = .bytes(bytes)
        self.spans = spans
    }

    /// Every symbol; each value is below the compressor's `alphabetSize`.
    /// Subtle: for byte storage this builds a new array on each read; read it once per document.
    public var symbols: [UInt32] {
        get {
            switch storage {
            case .words(let words): return words
            case .bytes(let bytes): return bytes.map(UInt32.init)
            }
        }
        set { storage = .words(newValue) }
    }

    /// Number of symbols, without materializing them.
    public var symbolCount: Int {
        switch storage {
        case .words(let words): return words.count
        case .bytes(let bytes): return bytes.count
        }
    }

    /// Bytes of memory the symbols occupy as stored (one per symbol for byte storage, else four).
    public var symbolStorageBytes: Int {
        switch storage {
        case .words(let words): return words.count * MemoryLayout<UInt32>.stride
        case .bytes(let bytes): return bytes.count
        }
    }

    /// The first index whose symbol is not below `alphabetSize`, or nil when all are valid.
    public func firstSymbol(notBelow alphabetSize: Int) -> Int? {
        switch storage {
        case .bytes(let bytes):
            return alphabetSize >= 256 ? nil : bytes.firstIndex { Int($0) >= alphabetSize }
        case .words(let words):
            let bound = UInt64(alphabetSize)
            return words.firstIndex { UInt64($0) >= bound }
        }
    }
}

extension EncodedDocument: Equatable {
    /// Equal when the symbols and spans are, however they are stored.
    public static func == (lhs: EncodedDocument, rhs: EncodedDocument) -> Bool {
        guard lhs.spans == rhs.spans else { return false }
        switch (lhs.storage, rhs.storage) {
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.words(let a), .words(let b)): return a == b
        default: return lhs.symbolCount == rhs.symbolCount && lhs.symbols == rhs.symbols
        }
    }
}

extension EncodedDocument {
    /// The symbols as bytes, for byte-valued compressors.
    /// - Throws: `CodecError` naming the first symbol above 255: such input is not one of ours.
    public func bytes(compressor: String) throws(CodecError) -> [UInt8] {
        if case .bytes(let bytes) = storage { return bytes }
        return try withByteSymbols(compressor: compressor) { buffer throws(CodecError) in Array(buffer) }
    }

    /// Runs `body` on the symbols as bytes: the stored bytes directly, or 32-bit symbols narrowed
    /// into a temporary buffer (on the stack when small).
    /// - Throws: `CodecError.Kind.symbolOutOfRange` naming the first symbol above 255, or what
    ///   `body` throws.
    public func withByteSymbols<Result>(
        compressor: String, _ body: (UnsafeBufferPointer<UInt8>) throws(CodecError) -> Result
    ) throws(CodecError) -> Result {
        let symbols: [UInt32]
        switch storage {
        case .bytes(let bytes):
            return try bytes.withUnsafeBufferPointer { buffer throws(CodecError) in try body(buffer) }
        case .words(let words):
            symbols = words
        }
        let count = symbols.count
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) {
            destination throws(CodecError) -> Result in
            // OR-ing every symbol finds any value above 255 without a branch per element, so the
            // loop vectorizes.
            let combined = symbols.withUnsafeBufferPointer { source in
                var accumulator: UInt32 = 0
                for index in 0..<count {
                    let symbol = source[index]
                    accumulator |= symbol
                    destination[index] = UInt8(truncatingIfNeeded: symbol)
                }
                return accumulator
            }
            if combined > 255, let index = symbols.firstIndex(where: { $0 > 255 }) {
                throw CodecError(
                    .symbolOutOfRange, compressor: compressor,
                    "symbol \(symbols[index]) at index \(index) is not a byte (alphabet 256); this input was not made by \(compressor)"
                )
            }
            return try body(UnsafeBufferPointer(start: destination.baseAddress, count: count))
        }
    }
}
