import WorkbenchCore

/// The raw view and the reference code's granularity controls: a document's bits regrouped into
/// symbols of 1, 2, 4, 8 or 16 bits, most significant bits first.
///
/// These do not compress; they exist so a report can separate "the model sees fewer symbols"
/// from "the symbols mean something". `bytes` (8 bits) is the identity and the baseline every
/// report needs. `bytepairs` joins two bytes big-endian into one 16-bit symbol; a document of
/// odd length ends with one extra symbol `65536 + lastByte`, so the alphabet is 65,792 and the
/// mapping stays lossless and self-delimiting.
public struct ByteRegrouping: Compressor {
    /// Symbol width in bits: 1, 2, 4, 8 or 16.
    public let bitsPerSymbol: Int
    public let descriptor: CompressorDescriptor

    /// Creates a regrouping with `bitsPerSymbol` in {1, 2, 4, 8, 16}.
    /// - Precondition: a supported width (the Builtins table only builds those).
    public init(id: String, displayName: String, bitsPerSymbol: Int) {
        precondition([1, 2, 4, 8, 16].contains(bitsPerSymbol), "unsupported symbol width")
        self.bitsPerSymbol = bitsPerSymbol
        let alphabet = bitsPerSymbol == 16 ? 65_536 + 256 : 1 << bitsPerSymbol
        // Spans are exact for every width: each symbol covers a byte, a pair, or part of one byte.
        self.descriptor = CompressorDescriptor(
            id: id, displayName: displayName, options: [:], alphabetSize: alphabet, givesSpans: true,
            collisionNote:
                "a symbol is a fixed bit pattern of the input: a value always stands for the same bits, so no collisions")
    }

    public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        switch bitsPerSymbol {
        case 16: return encodePairs(document)
        default: return encodeSubBytes(document)
        }
    }

    public func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        switch bitsPerSymbol {
        case 16: return try decodePairs(encoded.symbols, maxOutputBytes: maxOutputBytes)
        default: return try decodeSubBytes(encoded.symbols, maxOutputBytes: maxOutputBytes)
        }
    }

    // MARK: 1, 2, 4 and 8 bits

    private var symbolsPerByte: Int { 8 / bitsPerSymbol }

    private func encodeSubBytes(_ document: [UInt8]) -> EncodedDocument {
        let perByte = symbolsPerByte
        let mask = UInt32((1 << bitsPerSymbol) - 1)
        var symbols = [UInt32]()
        symbols.reserveCapacity(document.count * perByte)
        var spans = [SymbolSpan]()
        spans.reserveCapacity(document.count)
        for (offset, byte) in document.enumerated() {
            let start = symbols.count
            for part in (0..<perByte).reversed() {
                symbols.append((UInt32(byte) >> UInt32(part * bitsPerSymbol)) & mask)
            }
            spans.append(SymbolSpan(symbols: start..<symbols.count, bytes: offset..<(offset + 1)))
        }
        return EncodedDocument(symbols: symbols, spans: spans)
    }

    private func decodeSubBytes(_ symbols: [UInt32], maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        let perByte = symbolsPerByte
        guard symbols.count % perByte == 0 else {
            throw CodecError(
                .truncatedInput, compressor: descriptor.id,
                "\(symbols.count) symbols is not a multiple of \(perByte) (\(bitsPerSymbol)-bit symbols per byte)")
        }
        let byteCount = symbols.count / perByte
        guard byteCount <= maxOutputBytes else {
            throw CodecError(
                .outputLimitExceeded, compressor: descriptor.id,
                "decoding would produce \(byteCount) bytes, more than the limit of \(maxOutputBytes)")
        }
        let limit = UInt32(1 << bitsPerSymbol)
        var out = [UInt8](repeating: 0, count: byteCount)
        for index in 0..<byteCount {
            var byte: UInt32 = 0
            for part in 0..<perByte {
                let symbol = symbols[index * perByte + part]
                guard symbol < limit else {
                    throw CodecError(
                        .symbolOutOfRange, compressor: descriptor.id,
                        "symbol \(symbol) at index \(index * perByte + part) is not below \(limit)")
                }
                byte = (byte << UInt32(bitsPerSymbol)) | symbol
            }
            out[index] = UInt8(truncatingIfNeeded: byte)
        }
        return out
    }

    // MARK: 16 bits

    private func encodePairs(_ document: [UInt8]) -> EncodedDocument {
        var symbols = [UInt32]()
        symbols.reserveCapacity((document.count + 1) / 2)
        var spans = [SymbolSpan]()
        spans.reserveCapacity((document.count + 1) / 2)
        var offset = 0
        while offset + 1 < document.count {
            symbols.append(UInt32(document[offset]) << 8 | UInt32(document[offset + 1]))
            spans.append(SymbolSpan(symbols: (symbols.count - 1)..<symbols.count, bytes: offset..<(offset + 2)))
            offset += 2
        }
        if offset < document.count {
            symbols.append(65_536 + UInt32(document[offset]))
            spans.append(SymbolSpan(symbols: (symbols.count - 1)..<symbols.count, bytes: offset..<(offset + 1)))
        }
        return EncodedDocument(symbols: symbols, spans: spans)
    }

    private func decodePairs(_ symbols: [UInt32], maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(min(symbols.count * 2, maxOutputBytes))
        for (index, symbol) in symbols.enumerated() {
            let isLoneByte = symbol >= 65_536
            guard symbol < 65_536 + 256 else {
                throw CodecError(
                    .symbolOutOfRange, compressor: descriptor.id,
                    "symbol \(symbol) at index \(index) is not below the alphabet size 65792")
            }
            guard !isLoneByte || index == symbols.count - 1 else {
                throw CodecError(
                    .corruptInput, compressor: descriptor.id,
                    "lone-byte symbol \(symbol) at index \(index) may only end the document")
            }
            let produced = isLoneByte ? 1 : 2
            guard out.count + produced <= maxOutputBytes else {
                throw CodecError(
                    .outputLimitExceeded, compressor: descriptor.id,
                    "decoding exceeds the limit of \(maxOutputBytes) bytes at symbol \(index)")
            }
            if isLoneByte {
                out.append(UInt8(truncatingIfNeeded: symbol - 65_536))
            } else {
                out.append(UInt8(truncatingIfNeeded: symbol >> 8))
                out.append(UInt8(truncatingIfNeeded: symbol))
            }
        }
        return out
    }
}
