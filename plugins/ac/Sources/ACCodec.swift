import Foundation
import WorkbenchCore

/// The coding pipeline behind the `ac` compressor, over any `BytePredictor` (M1 in use, fake
/// distributions in tests): plain AC, equal-info windows, context policy, raw tails and
/// entropy segmentation.
///
/// Stream layouts (symbols):
/// - `window=0` (plain AC): bytes (alphabet 256): the document length as an LEB128 varint,
///   then the range coder's bytes (`RangeEncoder`). The length is stored rather than an end
///   symbol because it costs 1 to 3 bytes, lets the decoder refuse an over-long document
///   before any work (the decode bound), and keeps every byte's probability intact.
/// - `window=B`: one symbol per window (alphabet 2^B), no header: windows are self-delimiting
///   (`EqualInfoWindowCoder`), so the document ends with its last window. With raw tails the
///   windows are 256 + v and the bytes of a segment's last, input-ended window are passed
///   through as symbols 0..255 (the reference 9-bit layout); a raw run always ends a segment.
struct ACCodec: Sendable {
    let settings: ACCodingSettings
    let compressor: String
    let makePredictor: @Sendable () throws(CodecError) -> BytePredictor
    let cache: SegmentCache?

    init(
        settings: ACCodingSettings, compressor: String, cache: SegmentCache? = nil,
        makePredictor: @escaping @Sendable () throws(CodecError) -> BytePredictor
    ) {
        self.settings = settings
        self.compressor = compressor
        self.cache = cache
        self.makePredictor = makePredictor
    }

    var windowCoder: EqualInfoWindowCoder { EqualInfoWindowCoder(bits: settings.windowBits, precision: settings.precision) }

    // MARK: Encoding

    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        if settings.windowBits == 0 { return try encodePlain(document) }
        let segments = try segmentBoundaries(document)
        let coded = try encodeSegments(document, segments)
        var symbols: [UInt32] = []
        var spans: [SymbolSpan] = []
        var offset = 0
        for segment in coded {
            for (symbol, count) in zip(segment.symbols, segment.byteCounts) {
                spans.append(SymbolSpan(symbols: symbols.count..<(symbols.count + 1), bytes: offset..<(offset + count)))
                symbols.append(symbol)
                offset += count
            }
        }
        return EncodedDocument(symbols: symbols, spans: spans)
    }

    private func encodePlain(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        var header: [UInt8] = []
        var length = UInt64(document.count)
        repeat {
            let low = UInt8(truncatingIfNeeded: length & 0x7F)
            length >>= 7
            header.append(length == 0 ? low : low | 0x80)
        } while length != 0
        var encoder = RangeEncoder()
        if !document.isEmpty {
            let predictor = try makePredictor()
            try predictor.reset()
            var table = FrequencyTable(precision: settings.precision)
            for index in 0..<document.count {
                let byte = Int(document[index])
                table.update(from: predictor.probabilities, oddFrequencies: false)
                encoder.encode(
                    cumulative: table.cumulative[byte], frequency: table.frequency(byte), precision: settings.precision)
                if index + 1 < document.count { try predictor.append(document[index]) }
            }
        }
        let payload = encoder.finish()
        return EncodedDocument(symbols: (header + payload).map { UInt32($0) }, spans: nil)
    }

    /// One segment's symbols and the bytes each covers.
    struct CodedSegment: Sendable {
        var symbols: [UInt32]
        var byteCounts: [Int]
    }

    private func encodeSegments(_ document: [UInt8], _ segments: [Range<Int>]) throws(CodecError) -> [CodedSegment] {
        if segments.count <= 1 {
            guard let only = segments.first else { return [] }
            let predictor = try makePredictor()
            return [try encodeSegment(Array(document[only]), predictor)]
        }
        // Segments are independent (both coder and M1 start fresh), so they are coded on both
        // cores; the output is assembled in order, so it does not depend on the thread count.
        let results = ResultSlots<CodedSegment>(count: segments.count)
        let workers = min(2, segments.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var predictor: BytePredictor?
            var index = worker
            while index < segments.count {
                let bytes = Array(document[segments[index]])
                if let cached = cache?.lookup(bytes) {
                    results.store(index, .success(cached))
                } else {
                    do throws(CodecError) {
                        let p: BytePredictor
                        if let existing = predictor { p = existing } else { p = try makePredictor() }
                        predictor = p
                        let coded = try encodeSegment(bytes, p)
                        cache?.insert(bytes, coded)
                        results.store(index, .success(coded))
                    } catch {
                        results.store(index, .failure(error))
                    }
                }
                index += workers
            }
        }
        return try results.collect(compressor: compressor)
    }

    private func encodeSegment(_ bytes: [UInt8], _ predictor: BytePredictor) throws(CodecError) -> CodedSegment {
        let coder = windowCoder
        let rawBase: UInt32 = settings.rawTails ? 256 : 0
        var scratch: [FrequencyTable] = []
        var symbols: [UInt32] = []
        var counts: [Int] = []
        var position = 0
        try predictor.reset()
        while position < bytes.count {
            if position > 0 && settings.context == .window { try predictor.reset() }
            let window = try coder.encodeWindow(
                bytes, start: position, predictor: predictor, oddFrequencies: true, scratch: &scratch,
                compressor: compressor)
            if window.appended > window.byteCount && settings.context == .segment {
                try predictor.removeLast(window.appended - window.byteCount)
            }
            if settings.rawTails && window.endedAtInput {
                for index in position..<(position + window.byteCount) {
                    symbols.append(UInt32(bytes[index]))
                    counts.append(1)
                }
            } else {
                symbols.append(rawBase + window.value)
                counts.append(window.byteCount)
            }
            position += window.byteCount
        }
        return CodedSegment(symbols: symbols, byteCounts: counts)
    }

    // MARK: Segmentation

    /// Segment ranges covering the document in order (one for `segment=none`).
    func segmentBoundaries(_ document: [UInt8]) throws(CodecError) -> [Range<Int>] {
        guard !document.isEmpty else { return [] }
        guard case .entropy(let maxBits, let jumpRatio, let minimumBytes) = settings.segmentation else {
            return [0..<document.count]
        }
        let entropies = try nextByteEntropies(document)
        var cuts: [Int] = [0]
        for index in 1..<document.count where index - (cuts.last ?? 0) >= minimumBytes {
            let here = entropies[index]
            let before = entropies[index - 1]
            if here >= maxBits || (here >= 1 && here >= before * jumpRatio) { cuts.append(index) }
        }
        cuts.append(document.count)
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
    }

    /// The entropy (bits) of the model's prediction of each byte, with the context running
    /// from the document start (re-seeded at capacity like coding).
    func nextByteEntropies(_ document: [UInt8]) throws(CodecError) -> [Double] {
        let predictor = try makePredictor()
        try predictor.reset()
        var entropies: [Double] = []
        entropies.reserveCapacity(document.count)
        for index in 0..<document.count {
            entropies.append(Self.entropy(predictor.probabilities))
            if index + 1 < document.count { try predictor.append(document[index]) }
        }
        return entropies
    }

    static func entropy(_ weights: [Float]) -> Double {
        var sum = 0.0
        for i in 0..<min(256, weights.count) where weights[i].isFinite && weights[i] > 0 { sum += Double(weights[i]) }
        guard sum > 0 else { return 8 }
        var h = 0.0
        for i in 0..<min(256, weights.count) where weights[i].isFinite && weights[i] > 0 {
            let p = Double(weights[i]) / sum
            h -= p * log2(p)
        }
        return h
    }

    // MARK: Decoding

    func decode(_ symbols: [UInt32], maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        let alphabet = UInt64(settings.alphabetSize)
        if let bad = symbols.firstIndex(where: { UInt64($0) >= alphabet }) {
            throw CodecError(
                .symbolOutOfRange, compressor: compressor,
                "symbol \(symbols[bad]) at index \(bad) is not below the alphabet size \(alphabet)")
        }
        if settings.windowBits == 0 { return try decodePlain(symbols, maxOutputBytes: maxOutputBytes) }
        let limit = max(0, maxOutputBytes)
        // With context=window every window stands alone: decode two halves on both cores.
        if settings.context == .window && symbols.count >= 64 {
            let middle = symbols.count / 2
            let parts = [Array(symbols[..<middle]), Array(symbols[middle...])]
            let results = ResultSlots<CodedSegment>(count: 2)
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do throws(CodecError) {
                    let bytes = try decodeWindows(parts[index], limit: limit)
                    results.store(index, .success(CodedSegment(symbols: bytes.map { UInt32($0) }, byteCounts: [])))
                } catch {
                    results.store(index, .failure(error))
                }
            }
            let halves = try results.collect(compressor: compressor)
            let total = halves[0].symbols.count + halves[1].symbols.count
            guard total <= limit else {
                throw CodecError(.outputLimitExceeded, compressor: compressor, "decoding exceeds the limit of \(limit) bytes")
            }
            return (halves[0].symbols + halves[1].symbols).map { UInt8(truncatingIfNeeded: $0) }
        }
        return try decodeWindows(symbols, limit: limit)
    }

    private func decodeWindows(_ symbols: [UInt32], limit: Int) throws(CodecError) -> [UInt8] {
        var output: [UInt8] = []
        guard !symbols.isEmpty else { return output }
        let coder = windowCoder
        let predictor = try makePredictor()
        var table = FrequencyTable(precision: settings.precision)
        var segmentStart = true
        for symbol in symbols {
            if settings.rawTails && symbol < 256 {
                guard output.count < limit else {
                    throw CodecError(.outputLimitExceeded, compressor: compressor, "decoding exceeds the limit of \(limit) bytes")
                }
                output.append(UInt8(truncatingIfNeeded: symbol))
                segmentStart = true
                continue
            }
            let value = settings.rawTails ? symbol - 256 : symbol
            if segmentStart || settings.context == .window { try predictor.reset() }
            segmentStart = false
            try coder.decodeWindow(
                value, predictor: predictor, oddFrequencies: true, table: &table, output: &output, limit: limit,
                compressor: compressor)
        }
        return output
    }

    private func decodePlain(_ symbols: [UInt32], maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        var length: UInt64 = 0
        var index = 0
        var shift: UInt64 = 0
        while true {
            guard index < symbols.count else {
                throw CodecError(.truncatedInput, compressor: compressor, "stream ends inside the length header")
            }
            let byte = UInt64(symbols[index])
            index += 1
            guard shift <= 56 else {
                throw CodecError(.corruptInput, compressor: compressor, "length header is longer than 9 bytes")
            }
            length |= (byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        guard length <= UInt64(max(0, maxOutputBytes)) else {
            throw CodecError(
                .outputLimitExceeded, compressor: compressor,
                "the stream announces \(length) bytes, more than the limit of \(maxOutputBytes)")
        }
        let count = Int(length)
        let payload = symbols[index...].map { UInt8(truncatingIfNeeded: $0) }
        var output: [UInt8] = []
        output.reserveCapacity(count)
        guard count > 0 else {
            guard payload.isEmpty else {
                throw CodecError(.corruptInput, compressor: compressor, "an empty document has payload bytes")
            }
            return output
        }
        let predictor = try makePredictor()
        try predictor.reset()
        var table = FrequencyTable(precision: settings.precision)
        var decoder = RangeDecoder(payload, compressor: compressor)
        for position in 0..<count {
            table.update(from: predictor.probabilities, oddFrequencies: false)
            let byte = try decoder.decode(table)
            output.append(byte)
            if position + 1 < count { try predictor.append(byte) }
        }
        guard !decoder.hasUnreadBytes else {
            throw CodecError(.corruptInput, compressor: compressor, "the stream has bytes after its end")
        }
        return output
    }
}

/// Per-index results filled by concurrent workers.
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private var values: [Result<Value, CodecError>?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ value: Result<Value, CodecError>) { lock.withLock { values[index] = value } }

    /// Every value in order, or the first error by index.
    func collect(compressor: String) throws(CodecError) -> [Value] {
        let snapshot = lock.withLock { values }
        var out: [Value] = []
        out.reserveCapacity(snapshot.count)
        for slot in snapshot {
            switch slot {
            case .success(let value): out.append(value)
            case .failure(let error): throw error
            case nil: throw CodecError(.libraryFailure, compressor: compressor, "a worker produced no result")
            }
        }
        return out
    }
}
