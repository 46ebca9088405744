import Foundation

/// Measures one compressor on a stream of documents: rate, round trip and throughput.
///
/// Every document is encoded, checked against the alphabet, decoded with the original length as
/// the decode bound and compared byte for byte. Timing passes are whole passes over the source,
/// on one thread, and the median is reported (machines here are noisy). Only the compressor's
/// calls are timed: reading a streamed corpus from disk is not.
///
/// Memory: one batch of documents (`batchBytes`) and its encodings at a time. Encodings are not
/// kept; a caller that wants statistics over them passes `observe`, which sees each document of
/// the first pass with its encoding.
///
/// Why batches, not one document at a time: each batch is encoded in one loop, then decoded in
/// another, as a whole pass would be. Alternating per document (read and parse a line, encode it,
/// decode it) leaves each call with caches the others just filled, and measured slower than the
/// codec is: zstd decode at 420-605 MB/s instead of 706-714 on the shipped valid split. A
/// `BatchCompressor` (an external plugin) gets each batch in one call, so it pays its per-call
/// cost (a process round trip) once per batch, not once per document.
public struct RateMeasurement {
    /// Raw bytes per batch: a batch closes with the document that reaches it. Below the shipped
    /// valid split (296 KB), so a run on it already has the steady-state memory of a larger corpus.
    public static let batchBytes = 256 << 10

    /// Timed passes (the first, verified, pass counts as one).
    public var passes: Int
    /// Called after each document of the verified pass with (done, total).
    public var progress: (Int, Int) -> Void
    /// Builds a new instance of the compressor for every timed phase after the first encoding
    /// pass. Why: a compressor may keep a cache between calls (ac keeps M1's predictions), and
    /// without fresh instances a decode would find everything the encode just computed, and a
    /// second pass everything the first computed: speeds no real workload sees. Nil: one
    /// instance throughout.
    public var freshInstance: (() throws -> any Compressor)?

    /// Creates a measurement.
    public init(
        passes: Int = 3, freshInstance: (() throws -> any Compressor)? = nil,
        progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) {
        self.passes = max(1, passes)
        self.freshInstance = freshInstance
        self.progress = progress
    }

    private func instance(_ compressor: any Compressor) throws(CodecError) -> any Compressor {
        guard let freshInstance else { return compressor }
        do {
            return try freshInstance()
        } catch let error as CodecError {
            throw error
        } catch {
            throw CodecError(.libraryFailure, compressor: compressor.id, "cannot build a fresh instance for timing: \(error)")
        }
    }

    /// The outcome for one compressor.
    public struct Outcome {
        /// Compression rate over every document.
        public var rate: RateRecord
        /// Round-trip verification.
        public var roundTrip: RoundTripRecord
        /// Throughput.
        public var speed: SpeedRecord
    }

    /// Runs the measurement.
    /// - Parameter observe: called with each document of the first pass and its encoding, after
    ///   the encoding passed the alphabet check (for statistics accumulated as the stream goes).
    /// - Throws: `CodecError` when encoding fails or emits a symbol outside the alphabet (the
    ///   compressor is broken: its row fails); what reading `documents` raised. Decode failures
    ///   are counted, not thrown.
    public func run(
        _ compressor: any Compressor, on documents: some DocumentSource,
        observe: (CorpusDocument, EncodedDocument) -> Void = { _, _ in }
    ) throws -> Outcome {
        let alphabet = compressor.descriptor.alphabetSize
        let total = documents.documentCount
        var rawBytes = 0
        var symbolCount = 0
        var serializedBytes = 0
        var documentsSeen = 0
        var encodeSeconds: [Double] = []
        var decodeSeconds: [Double] = []
        // Documents whose first decode failed: later passes do not time them (a failure may be
        // an early exit, which would flatter the speed). Bounded by the failures.
        var failed = Set<Int>()
        var firstFailure: String?
        let buffer = DecodeBuffer()

        // Pass 1: encode, validate, decode into one reused buffer (as a C loop would), verify.
        // The decoder is a second instance, so no cache the encoder filled serves it.
        let decoder = try instance(compressor)
        var encodeTime = 0.0
        var decodeTime = 0.0
        try Self.forEachBatch(documents) { batch in
            var start = Clock.now
            let encodings = try Self.encode(batch, with: compressor, keepSpans: true)
            encodeTime += Clock.seconds(since: start)
            for (document, encoded) in zip(batch, encodings) {
                if let bad = encoded.firstSymbol(notBelow: alphabet) {
                    throw CodecError(
                        .symbolOutOfRange, compressor: compressor.id,
                        "\(document.source): symbol \(encoded.symbols[bad]) at index \(bad) is not below the alphabet size \(alphabet)"
                    )
                }
                rawBytes += document.bytes.count
                symbolCount += encoded.symbolCount
                serializedBytes += SymbolPacking.packedByteCount(symbols: encoded.symbolCount, alphabetSize: alphabet)
            }
            // A batch compressor decodes the whole batch in one timed call; the others one by one.
            var batchDecoded: [Result<[UInt8], CodecError>]?
            if let batching = decoder as? any BatchCompressor {
                let bounds = batch.map { $0.bytes.count }
                start = Clock.now
                batchDecoded = batching.decode(batch: encodings, maxOutputBytes: bounds)
                decodeTime += Clock.seconds(since: start)
            }
            for (offset, (document, encoded)) in zip(batch, encodings).enumerated() {
                let index = documentsSeen
                documentsSeen += 1
                do throws(CodecError) {
                    let matches: Bool
                    if let batchDecoded {
                        matches = try batchDecoded[offset].get() == document.bytes
                    } else {
                        let start = Clock.now
                        try decoder.decode(encoded, into: buffer, maxOutputBytes: document.bytes.count)
                        decodeTime += Clock.seconds(since: start)
                        matches = buffer.holds(document.bytes)
                    }
                    if !matches {
                        failed.insert(index)
                        if firstFailure == nil { firstFailure = "\(document.source): decoded bytes differ from the original" }
                    }
                } catch {
                    failed.insert(index)
                    if firstFailure == nil { firstFailure = "\(document.source): \(error.message)" }
                }
                observe(document, encoded)
                progress(index + 1, total)
            }
        }
        encodeSeconds.append(encodeTime)
        decodeSeconds.append(decodeTime)

        // Further timing passes, each with a fresh encoder and decoder.
        for _ in 1..<passes {
            let encoder = try instance(compressor)
            let decoder = try instance(compressor)
            var firstIndex = 0
            encodeTime = 0
            decodeTime = 0
            try Self.forEachBatch(documents) { batch in
                var start = Clock.now
                let encodings = try Self.encode(batch, with: encoder, keepSpans: false)
                encodeTime += Clock.seconds(since: start)
                if let batching = decoder as? any BatchCompressor {
                    let timed = batch.indices.filter { !failed.contains(firstIndex + $0) }
                    let (timedEncodings, bounds) = (timed.map { encodings[$0] }, timed.map { batch[$0].bytes.count })
                    start = Clock.now
                    let decoded = batching.decode(batch: timedEncodings, maxOutputBytes: bounds)
                    decodeTime += Clock.seconds(since: start)
                    // The decodings are freed after the clock stops, as a caller's own would be:
                    // freeing thousands of short documents is not the compressor's work.
                    withExtendedLifetime(decoded) {}
                } else {
                    start = Clock.now
                    for (offset, (document, encoded)) in zip(batch, encodings).enumerated()
                    where !failed.contains(firstIndex + offset) {
                        try? decoder.decode(encoded, into: buffer, maxOutputBytes: document.bytes.count)
                    }
                    decodeTime += Clock.seconds(since: start)
                }
                firstIndex += batch.count
            }
            encodeSeconds.append(encodeTime)
            decodeSeconds.append(decodeTime)
        }

        return Outcome(
            rate: RateRecord(rawBytes: rawBytes, symbols: symbolCount, alphabetSize: alphabet, serializedBytes: serializedBytes),
            roundTrip: RoundTripRecord(documents: documentsSeen, failures: failed.count, firstFailure: firstFailure),
            speed: SpeedRecord(rawBytes: rawBytes, encodeSeconds: encodeSeconds, decodeSeconds: decodeSeconds))
    }

    /// Encodes one batch: in one call for a `BatchCompressor`, else one call per document (the
    /// loop a pass over the corpus would run).
    /// - Parameter keepSpans: false in the timed passes. Spans are for statistics, and no decoder
    ///   reads them: freeing them at once lets the allocator hand the next call memory still in
    ///   cache, as a pass that keeps nothing would (keeping them measured bpe 10-20% slower).
    /// - Throws: the first document's `CodecError`, naming the document.
    private static func encode(
        _ batch: [CorpusDocument], with compressor: any Compressor, keepSpans: Bool
    ) throws(CodecError) -> [EncodedDocument] {
        func named(_ error: CodecError, _ document: CorpusDocument) -> CodecError {
            CodecError(error.kind, compressor: error.compressor, "\(document.source): \(error.message)")
        }
        var encodings: [EncodedDocument] = []
        encodings.reserveCapacity(batch.count)
        if let batching = compressor as? any BatchCompressor {
            for (document, result) in zip(batch, batching.encode(batch: batch.map { $0.bytes })) {
                switch result {
                case .success(let encoded): encodings.append(encoded)
                case .failure(let error): throw named(error, document)
                }
            }
            return encodings
        }
        for document in batch {
            do throws(CodecError) {
                var encoded = try compressor.encode(document.bytes)
                if !keepSpans { encoded.spans = nil }
                encodings.append(encoded)
            } catch {
                throw named(error, document)
            }
        }
        return encodings
    }

    /// Calls `body` with consecutive batches of documents of about `batchBytes` raw bytes.
    private static func forEachBatch(_ documents: some DocumentSource, _ body: ([CorpusDocument]) throws -> Void) throws {
        var batch: [CorpusDocument] = []
        var bytes = 0
        try documents.forEachDocument { document in
            batch.append(document)
            bytes += document.bytes.count
            if bytes >= batchBytes {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
                bytes = 0
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}

/// Monotonic wall-clock time.
public enum Clock {
    /// Nanoseconds since an arbitrary origin.
    public static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Seconds elapsed since `start`.
    public static func seconds(since start: UInt64) -> Double { Double(now &- start) / 1e9 }
}
