import WorkbenchCore

/// Equal-info windows (Lester et al. 2024, "Training LLMs over Neurally Compressed Text"): the
/// arithmetic coder is run until one more byte would not fit in `bits` bits, the window is
/// emitted as exactly `bits` bits (one symbol), and the coder is reset.
///
/// The coder inside a window is exact: no renormalization, no carries. The interval lives in
/// [0, 2^63) and is narrowed with the usual integer rule (Witten, Neal & Cleary 1987):
/// `r = range >> precision; low += r * cumulative; range = r * frequency`. The window's value v
/// names the *cell* [v, v + 1) * 2^(63 - bits), the set of numbers whose first `bits` bits are v.
///
/// The window rule, which makes decoding unambiguous:
/// - A byte string s *fits* a window when its interval I(s) contains a whole cell.
/// - Decoding (greedy): start from the empty string and append the byte whose interval contains
///   the whole cell, while there is one. The result is the longest string whose interval
///   contains the cell: the greedy maximum number of bytes consistent with the window.
/// - Encoding: append bytes while the next one still fits (or the input ends); call that k. Emit
///   a cell of I(s_k) that is contained in no interval of a one-byte extension of s_k (it
///   straddles a boundary between s_k's successors, or the unused tail), so greedy decoding
///   stops exactly at k. If s_k has no such cell, try k - 1, k - 2, ... (rare).
/// - Termination: with odd frequencies, precision <= bits < 2 * precision, a single byte always
///   fits and its interval always has a straddling cell (the interval is aligned whole cells
///   and the first successor boundary is an odd multiple of 2^(63 - 2 * precision), which is
///   not a multiple of the cell size), so every window holds at least one byte and the search
///   always ends. No length or end marker is needed: a document ends with its last window.
struct EqualInfoWindowCoder {
    /// Window size in bits (the alphabet is 2^bits).
    let bits: Int
    /// Frequency precision in bits.
    let precision: Int
    static let scaleBits = 63
    var cellShift: Int { Self.scaleBits - bits }

    /// Checks the geometry; the message says why a combination is refused.
    static func validate(bits: Int, precision: Int) -> String? {
        if bits < precision {
            return
                "window=\(bits) is too small for one byte of the least likely symbol: at precision=\(precision) it costs \(precision) bits; use window >= \(precision) or a lower precision"
        }
        if bits >= 2 * precision {
            return
                "window=\(bits) needs precision > \(bits / 2) (precision=\(precision)) so that every window can be closed unambiguously"
        }
        return nil
    }

    /// The interval of a byte string inside the window.
    struct Interval {
        var low: UInt64
        var range: UInt64
        static let whole = Interval(low: 0, range: UInt64(1) << UInt64(EqualInfoWindowCoder.scaleBits))
    }

    @inline(__always) func child(_ parent: Interval, _ table: FrequencyTable, _ byte: Int) -> Interval {
        let r = parent.range >> UInt64(precision)
        return Interval(low: parent.low &+ r &* UInt64(table.cumulative[byte]), range: r &* UInt64(table.frequency(byte)))
    }

    /// True when the interval contains a whole cell.
    @inline(__always) func fits(_ interval: Interval) -> Bool {
        let shift = UInt64(cellShift)
        let cell = UInt64(1) << shift
        let first = (interval.low &+ cell &- 1) >> shift
        return (first &+ 1) << shift <= interval.low &+ interval.range
    }

    /// A cell inside `interval` that lies in no successor's interval, or nil.
    func straddlingCell(_ interval: Interval, _ table: FrequencyTable) -> UInt64? {
        let shift = UInt64(cellShift)
        let mask = (UInt64(1) << shift) - 1
        let r = interval.range >> UInt64(precision)
        let end = interval.low &+ interval.range
        for index in 1...256 {
            let boundary = interval.low &+ r &* UInt64(table.cumulative[index])
            if boundary & mask == 0 || boundary >= end { continue }
            let cell = boundary >> shift
            if cell << shift >= interval.low && (cell &+ 1) << shift <= end { return cell }
        }
        return nil
    }

    /// Where one window ends: its value and the number of bytes it holds.
    struct Window {
        var value: UInt32
        var byteCount: Int
        /// True when the window ended because the input ran out (a tail), not because the
        /// next byte did not fit.
        var endedAtInput: Bool
        /// Bytes appended to the predictor (>= byteCount; more when the search stepped back).
        var appended: Int
    }

    /// Encodes the longest prefix of `bytes[start...]` that fits in one window.
    ///
    /// The predictor must be in the window's starting context; on return its context holds at
    /// least the window's bytes (more when the search stepped back: `rewind` is the caller's
    /// business, since only `context=segment` cares).
    /// - Parameter scratch: reusable tables, one per position of the window.
    func encodeWindow(
        _ bytes: [UInt8], start: Int, predictor: BytePredictor, oddFrequencies: Bool,
        scratch: inout [FrequencyTable], compressor: String
    ) throws(CodecError) -> Window {
        var intervals: [Interval] = [.whole]
        var k = 0
        var endedAtInput = false
        while true {
            if scratch.count <= k { scratch.append(FrequencyTable(precision: precision)) }
            scratch[k].update(from: predictor.probabilities, oddFrequencies: oddFrequencies)
            if start + k == bytes.count { endedAtInput = true; break }
            let next = child(intervals[k], scratch[k], Int(bytes[start + k]))
            if !fits(next) { break }
            try predictor.append(bytes[start + k])
            intervals.append(next)
            k += 1
        }
        var count = k
        while count >= 1 {
            if let cell = straddlingCell(intervals[count], scratch[count]) {
                return Window(
                    value: UInt32(truncatingIfNeeded: cell), byteCount: count, endedAtInput: endedAtInput && count == k,
                    appended: k)
            }
            count -= 1
        }
        throw CodecError(
            .libraryFailure, compressor: compressor,
            "no window could be closed (impossible with odd frequencies and precision <= window < 2 * precision)")
    }

    /// Decodes one window greedily, appending its bytes to `output`.
    /// - Throws: `CodecError.outputLimitExceeded` past `limit` bytes; `.corruptInput` for a
    ///   window that holds no byte.
    func decodeWindow(
        _ value: UInt32, predictor: BytePredictor, oddFrequencies: Bool, table: inout FrequencyTable,
        output: inout [UInt8], limit: Int, compressor: String
    ) throws(CodecError) {
        let shift = UInt64(cellShift)
        let cellLow = UInt64(value) << shift
        let cellEnd = cellLow &+ (UInt64(1) << shift)
        var interval = Interval.whole
        var produced = 0
        while true {
            table.update(from: predictor.probabilities, oddFrequencies: oddFrequencies)
            let r = interval.range >> UInt64(precision)
            if r == 0 { break }
            let target = (cellLow &- interval.low) / r
            if target >= UInt64(table.total) { break }
            let byte = table.byte(containing: UInt32(truncatingIfNeeded: target))
            let next = child(interval, table, byte)
            guard cellLow >= next.low && cellEnd <= next.low &+ next.range else { break }
            guard output.count < limit else {
                throw CodecError(
                    .outputLimitExceeded, compressor: compressor,
                    "decoding exceeds the limit of \(limit) bytes")
            }
            output.append(UInt8(truncatingIfNeeded: byte))
            produced += 1
            interval = next
            try predictor.append(UInt8(truncatingIfNeeded: byte))
        }
        guard produced > 0 else {
            throw CodecError(.corruptInput, compressor: compressor, "window \(value) holds no byte: the stream is corrupt")
        }
    }
}
