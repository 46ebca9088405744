import WorkbenchCore

/// The exact inverse of `RangeEncoder`: reads the bytes it wrote (zeros past the end) and
/// returns the same symbols, given the same frequency tables.
///
/// A corrupt stream cannot make it trap or loop: every step checks that the code stays inside
/// the interval and that the target lands on a symbol, and the caller bounds the symbol count.
struct RangeDecoder {
    private let input: [UInt8]
    /// Bytes read so far, counting the implicit zeros past the end.
    private(set) var bytesRead = 0
    private var code: UInt64 = 0
    private var range: UInt64 = RangeEncoder.top - 1
    private let compressor: String

    init(_ input: [UInt8], compressor: String) {
        self.input = input
        self.compressor = compressor
        for _ in 0..<7 { code = (code << 8) | UInt64(nextByte()) }
    }

    @inline(__always) private mutating func nextByte() -> UInt8 {
        defer { bytesRead += 1 }
        return bytesRead < input.count ? input[bytesRead] : 0
    }

    /// Decodes one byte with `table`.
    /// - Throws: `CodecError.corruptInput` when the code leaves the interval.
    mutating func decode(_ table: FrequencyTable) throws(CodecError) -> UInt8 {
        let r = range >> UInt64(table.precision)
        guard r > 0 else { throw CodecError(.corruptInput, compressor: compressor, "range coder underflow") }
        let target = code / r
        guard target < UInt64(table.total) else {
            throw CodecError(
                .corruptInput, compressor: compressor,
                "arithmetic-coded payload is corrupt near byte \(bytesRead) (code outside every symbol)")
        }
        let byte = table.byte(containing: UInt32(truncatingIfNeeded: target))
        code -= r &* UInt64(table.cumulative[byte])
        range = r &* UInt64(table.frequency(byte))
        guard code < range else {
            throw CodecError(
                .corruptInput, compressor: compressor, "arithmetic-coded payload is corrupt near byte \(bytesRead)")
        }
        while range < RangeEncoder.bottom {
            code = (code << 8) | UInt64(nextByte())
            range <<= 8
        }
        return UInt8(truncatingIfNeeded: byte)
    }

    /// True when the stream holds bytes the decoder never needed: the encoder never writes
    /// more than the decoder reads, so extra bytes mean corruption.
    var hasUnreadBytes: Bool { input.count > bytesRead }
}
