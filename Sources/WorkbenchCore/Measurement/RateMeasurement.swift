import Foundation

/// Measures one compressor on a list of documents: rate, round trip and throughput.
///
/// Every document is encoded, checked against the alphabet, decoded with the original length as
/// the decode bound and compared byte for byte. Timing passes are whole passes over the split,
/// on one thread, and the median is reported (machines here are noisy).
public struct RateMeasurement {
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
        /// Every document's encoding, in document order, for the statistics stage.
        public var encodings: [EncodedDocument]
    }

    /// Runs the measurement.
    /// - Throws: `CodecError` when encoding fails or emits a symbol outside the alphabet (the
    ///   compressor is broken: its row fails). Decode failures are counted, not thrown.
    public func run(_ compressor: any Compressor, on documents: [CorpusDocument]) throws(CodecError) -> Outcome {
        let alphabet = compressor.descriptor.alphabetSize
        var encodings: [EncodedDocument] = []
        encodings.reserveCapacity(documents.count)
        var rawBytes = 0
        var symbolCount = 0
        var serializedBytes = 0
        var encodeSeconds: [Double] = []
        var decodeSeconds: [Double] = []

        // Pass 1: encode, validate, time.
        var start = Clock.now
        for (index, document) in documents.enumerated() {
            let encoded = try compressor.encode(document.bytes)
            encodings.append(encoded)
            progress(index + 1, documents.count * 2)
        }
        encodeSeconds.append(Clock.seconds(since: start))
        for (document, encoded) in zip(documents, encodings) {
            if let bad = encoded.firstSymbol(notBelow: alphabet) {
                throw CodecError(
                    .symbolOutOfRange, compressor: compressor.id,
                    "\(document.source): symbol \(encoded.symbols[bad]) at index \(bad) is not below the alphabet size \(alphabet)")
            }
            rawBytes += document.bytes.count
            symbolCount += encoded.symbolCount
            serializedBytes += SymbolPacking.packedByteCount(symbols: encoded.symbolCount, alphabetSize: alphabet)
        }

        // Pass 1: decode into one reused buffer (as a C loop would), verify, time the decoding only.
        var failures = 0
        var firstFailure: String?
        let buffer = DecodeBuffer()
        let decoder = try instance(compressor)
        var decodedOK = [Bool](repeating: false, count: documents.count)
        var seconds = 0.0
        for (index, encoded) in encodings.enumerated() {
            do {
                let decodeStart = Clock.now
                try decoder.decode(encoded, into: buffer, maxOutputBytes: documents[index].bytes.count)
                seconds += Clock.seconds(since: decodeStart)
                if buffer.holds(documents[index].bytes) {
                    decodedOK[index] = true
                } else if firstFailure == nil {
                    firstFailure = "\(documents[index].source): decoded bytes differ from the original"
                }
            } catch {
                if firstFailure == nil { firstFailure = "\(documents[index].source): \(error.message)" }
            }
            progress(documents.count + index + 1, documents.count * 2)
        }
        decodeSeconds.append(seconds)
        failures = decodedOK.filter { !$0 }.count

        // Further timing passes.
        for _ in 1..<passes {
            let encoder = try instance(compressor)
            start = Clock.now
            for document in documents { _ = try encoder.encode(document.bytes) }
            encodeSeconds.append(Clock.seconds(since: start))
            let decoder = try instance(compressor)
            start = Clock.now
            for (index, encoded) in encodings.enumerated() where decodedOK[index] {
                try? decoder.decode(encoded, into: buffer, maxOutputBytes: documents[index].bytes.count)
            }
            decodeSeconds.append(Clock.seconds(since: start))
        }

        return Outcome(
            rate: RateRecord(rawBytes: rawBytes, symbols: symbolCount, alphabetSize: alphabet, serializedBytes: serializedBytes),
            roundTrip: RoundTripRecord(documents: documents.count, failures: failures, firstFailure: firstFailure),
            speed: SpeedRecord(rawBytes: rawBytes, encodeSeconds: encodeSeconds, decodeSeconds: decodeSeconds),
            encodings: encodings)
    }
}

/// Monotonic wall-clock time.
public enum Clock {
    /// Nanoseconds since an arbitrary origin.
    public static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Seconds elapsed since `start`.
    public static func seconds(since start: UInt64) -> Double { Double(now &- start) / 1e9 }
}
