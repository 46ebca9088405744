/// A carry-propagating integer range coder (Witten, Neal & Cleary 1987, "Arithmetic coding for
/// data compression", in the byte-oriented form of Subbotin's and LZMA's range coders), widened
/// to 64 bits so that frequencies of up to 24 bits keep their precision.
///
/// State: `low` holds 56 bits plus one carry bit, `range` at most 2^56 - 1 and at least 2^48
/// after normalization, so `range >> precision` keeps at least 24 significant bits and the
/// truncation waste is below 2^-24 of the interval per symbol (far below the 0.1% budget).
///
/// Termination: the final value is the number in [low, low + range) with the most trailing zero
/// bytes; the output drops the leading byte (always 0 because the first interval is below
/// 2^56) and every trailing zero byte, because the decoder reads zeros past the end.
struct RangeEncoder {
    static let bottom: UInt64 = 1 << 48
    static let top: UInt64 = 1 << 56

    private var low: UInt64 = 0
    private var range: UInt64 = RangeEncoder.top - 1
    private var cache: UInt8 = 0
    private var cacheSize = 1
    private(set) var output: [UInt8] = []

    /// Narrows the interval to [cumulative, cumulative + frequency) out of 2^precision.
    @inline(__always)
    mutating func encode(cumulative: UInt32, frequency: UInt32, precision: Int) {
        let r = range >> UInt64(precision)
        low &+= r &* UInt64(cumulative)
        range = r &* UInt64(frequency)
        while range < RangeEncoder.bottom {
            range <<= 8
            shiftLow()
        }
    }

    private mutating func shiftLow() {
        if (low & (RangeEncoder.top - 1)) < (0xFF << 48) || low >= RangeEncoder.top {
            let carry = UInt8(truncatingIfNeeded: low >> 56)
            var pending = cache
            repeat {
                output.append(pending &+ carry)
                pending = 0xFF
                cacheSize -= 1
            } while cacheSize != 0
            cache = UInt8(truncatingIfNeeded: low >> 48)
        }
        cacheSize += 1
        low = (low & (RangeEncoder.bottom - 1)) << 8
    }

    /// Ends the stream and returns its bytes (possibly empty).
    mutating func finish() -> [UInt8] {
        // The value with the most trailing zero bits that still lies in the interval.
        for zeroBytes in stride(from: 7, through: 1, by: -1) {
            let mask = (UInt64(1) << UInt64(8 * zeroBytes)) - 1
            let value = (low &+ mask) & ~mask
            if value < low &+ range {
                low = value
                break
            }
        }
        for _ in 0..<8 { shiftLow() }
        var bytes = output
        if !bytes.isEmpty { bytes.removeFirst() }
        while let last = bytes.last, last == 0 { bytes.removeLast() }
        return bytes
    }
}
