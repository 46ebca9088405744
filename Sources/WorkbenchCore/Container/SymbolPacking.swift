/// Packs symbols at the fewest whole bits the alphabet needs, least significant bit first.
///
/// This is the "actual serialized size" of an encoding: for byte-valued compressors it is their
/// native output, for BPE ids at ceil(log2(vocab)) bits each.
public enum SymbolPacking {
    /// Bits needed per symbol for an alphabet: ceil(log2(alphabetSize)), at least 1.
    public static func bitsPerSymbol(alphabetSize: Int) -> Int {
        guard alphabetSize > 2 else { return 1 }
        return Int.bitWidth - (alphabetSize - 1).leadingZeroBitCount
    }

    /// Bytes that `count` symbols take when packed.
    public static func packedByteCount(symbols count: Int, alphabetSize: Int) -> Int {
        (count * bitsPerSymbol(alphabetSize: alphabetSize) + 7) / 8
    }

    /// Packs symbols; every symbol must fit (the caller checked the alphabet).
    public static func pack(_ symbols: [UInt32], alphabetSize: Int) -> [UInt8] {
        let width = bitsPerSymbol(alphabetSize: alphabetSize)
        if width == 8 { return symbols.map { UInt8(truncatingIfNeeded: $0) } }
        var out = [UInt8]()
        out.reserveCapacity(packedByteCount(symbols: symbols.count, alphabetSize: alphabetSize))
        var accumulator: UInt64 = 0
        var filled = 0
        for symbol in symbols {
            accumulator |= UInt64(symbol) << UInt64(filled)
            filled += width
            while filled >= 8 {
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                filled -= 8
            }
        }
        if filled > 0 { out.append(UInt8(truncatingIfNeeded: accumulator)) }
        return out
    }

    /// Unpacks `count` symbols.
    /// - Throws: `CodecError` when the bytes are too few, or trailing padding bits are not zero.
    public static func unpack(_ bytes: [UInt8], count: Int, alphabetSize: Int, compressor: String) throws(CodecError) -> [UInt32]
    {
        let width = bitsPerSymbol(alphabetSize: alphabetSize)
        guard bytes.count == packedByteCount(symbols: count, alphabetSize: alphabetSize) else {
            throw CodecError(
                .truncatedInput, compressor: compressor,
                "payload has \(bytes.count) bytes, \(packedByteCount(symbols: count, alphabetSize: alphabetSize)) expected for \(count) symbols of \(width) bits"
            )
        }
        if width == 8 { return bytes.map(UInt32.init) }
        var symbols = [UInt32]()
        symbols.reserveCapacity(count)
        let mask = UInt64((1 << width) - 1)
        var accumulator: UInt64 = 0
        var filled = 0
        var next = 0
        while symbols.count < count {
            while filled < width {
                accumulator |= UInt64(bytes[next]) << UInt64(filled)
                next += 1
                filled += 8
            }
            symbols.append(UInt32(truncatingIfNeeded: accumulator & mask))
            accumulator >>= UInt64(width)
            filled -= width
        }
        guard accumulator == 0 else {
            throw CodecError(.corruptInput, compressor: compressor, "non-zero padding bits after the last symbol")
        }
        return symbols
    }
}
