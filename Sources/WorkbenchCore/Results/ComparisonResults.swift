import Foundation

/// The canonical numbers of one comparison run: `results.json`, schema `workbench.results/1`.
///
/// Reports are rendered from this alone, so every number a report shows must be here. Keys are
/// snake_case and spelled out in `CodingKeys` so the schema cannot drift by renaming a property.
/// The README documents every field.
public struct ComparisonResults: Sendable, Codable, Equatable {
    /// The schema this code writes and reads.
    public static let currentSchema = "workbench.results/1"

    /// Always `workbench.results/1` for this layout.
    public var schema: String
    /// When the run finished, ISO 8601 UTC.
    public var createdAt: String
    /// The corpus and split measured.
    public var corpus: CorpusRecord
    /// Stages that ran (`rate`, `stats`), and the settings of the statistics stage.
    public var stages: StagesRecord?
    /// One row per requested compressor, in request order, failed ones included.
    public var compressors: [CompressorResult]
    /// The bytes-only model trained at the same budget (train stage), the reference every proxy
    /// is compared with.
    public var baseline: ProxyRecord?
    /// The run's config.json, embedded so the report is a function of this file alone.
    public var config: JSONValue?
    /// The run's environment.json, embedded for the same reason.
    public var environment: JSONValue?

    /// Creates results.
    public init(createdAt: String, corpus: CorpusRecord, stages: StagesRecord? = nil, compressors: [CompressorResult]) {
        self.schema = ComparisonResults.currentSchema
        self.createdAt = createdAt
        self.corpus = corpus
        self.stages = stages
        self.compressors = compressors
    }

    enum CodingKeys: String, CodingKey {
        case schema, createdAt = "created_at", corpus, stages, compressors, baseline, config, environment
    }
}

/// Which stages a comparison ran and how the statistics were sampled.
public struct StagesRecord: Sendable, Codable, Equatable {
    /// Stage names in the order they ran.
    public var ran: [String]
    /// Seed of the stability sample and perturbations.
    public var stabilitySeed: UInt64?
    /// Documents in the stability sample.
    public var stabilityDocuments: Int?
    /// Each sampled document is cut to this many bytes.
    public var stabilityMaxBytes: Int?
    /// Perturbation name -> what it does.
    public var perturbations: [String: String]?

    /// Creates a record.
    public init(ran: [String], stabilitySeed: UInt64? = nil, stabilityDocuments: Int? = nil, stabilityMaxBytes: Int? = nil) {
        self.ran = ran
        self.stabilitySeed = stabilitySeed
        self.stabilityDocuments = stabilityDocuments
        self.stabilityMaxBytes = stabilityMaxBytes
        self.perturbations = stabilitySeed == nil ? nil : Dictionary(uniqueKeysWithValues: Perturbation.allCases.map { ($0.rawValue, $0.summary) })
    }

    enum CodingKeys: String, CodingKey {
        case ran, stabilitySeed = "stability_seed", stabilityDocuments = "stability_documents"
        case stabilityMaxBytes = "stability_max_bytes", perturbations
    }
}

/// Which documents a comparison measured.
public struct CorpusRecord: Sendable, Codable, Equatable {
    /// Corpus name (manifest name or file name).
    public var name: String
    /// Path as given.
    public var path: String
    /// SHA-256 of the corpus file (see `Corpus.sha256`).
    public var sha256: String
    /// The split measured: train, valid, test or all.
    public var split: String
    /// The split rule in words.
    public var splitRule: String
    /// Documents in the measured split.
    public var documents: Int
    /// Bytes in the measured split.
    public var bytes: Int
    /// Bad JSONL lines skipped with `--skip-bad-lines`.
    public var skippedBadLines: Int

    /// Creates a record.
    public init(
        name: String, path: String, sha256: String, split: String, splitRule: String, documents: Int,
        bytes: Int, skippedBadLines: Int
    ) {
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.split = split
        self.splitRule = splitRule
        self.documents = documents
        self.bytes = bytes
        self.skippedBadLines = skippedBadLines
    }

    enum CodingKeys: String, CodingKey {
        case name, path, sha256, split, splitRule = "split_rule", documents, bytes
        case skippedBadLines = "skipped_bad_lines"
    }
}

/// One compressor's row.
public struct CompressorResult: Sendable, Codable, Equatable {
    /// Whether every stage of this row completed.
    public enum Status: String, Sendable, Codable { case ok, failed }

    /// The CLI id.
    public var id: String
    /// The canonical spec with resolved options.
    public var spec: String
    /// The descriptor, when the compressor could be built.
    public var descriptor: CompressorDescriptor?
    /// ok, or failed with `error`.
    public var status: Status
    /// Why it failed, as the user should read it.
    public var error: String?
    /// Compression rate, when encoding completed.
    public var rate: RateRecord?
    /// Round-trip verification.
    public var roundTrip: RoundTripRecord?
    /// Encode and decode throughput.
    public var speed: SpeedRecord?
    /// How the alphabet is used (stats stage).
    public var symbolUsage: SymbolUsage?
    /// Whether symbol values stand for one raw string each (stats stage; compressors with spans).
    public var collisions: CollisionStatistics?
    /// Normalized edit distance under each perturbation (stats stage), keyed by perturbation name.
    public var stability: [String: Stability.Summary]?
    /// The proxy model trained with this compressor's view (train stage).
    public var proxy: ProxyRecord?

    /// Creates a row.
    public init(
        id: String, spec: String, descriptor: CompressorDescriptor?, status: Status, error: String? = nil,
        rate: RateRecord? = nil, roundTrip: RoundTripRecord? = nil, speed: SpeedRecord? = nil
    ) {
        self.id = id
        self.spec = spec
        self.descriptor = descriptor
        self.status = status
        self.error = error
        self.rate = rate
        self.roundTrip = roundTrip
        self.speed = speed
    }

    enum CodingKeys: String, CodingKey {
        case id, spec, descriptor, status, error, rate, roundTrip = "round_trip", speed
        case symbolUsage = "symbol_usage", collisions, stability, proxy
    }
}

/// How much a compressor shrinks the measured split.
public struct RateRecord: Sendable, Codable, Equatable {
    /// Raw bytes encoded.
    public var rawBytes: Int
    /// Symbols produced, all documents together.
    public var symbols: Int
    /// The compressor's alphabet size.
    public var alphabetSize: Int
    /// rawBytes / symbols: how many raw bytes one model position stands for (nil for 0 symbols).
    public var bytesPerSymbol: Double?
    /// symbols x log2(alphabetSize) / rawBytes: information-theoretic size of the symbol stream.
    public var bitsPerRawByte: Double?
    /// Bytes when each document's symbols are packed at ceil(log2(alphabet)) bits (for
    /// byte-valued compressors, their native output size).
    public var serializedBytes: Int
    /// serializedBytes x 8 / rawBytes.
    public var serializedBitsPerRawByte: Double?
    /// rawBytes / serializedBytes.
    public var compressionRatio: Double?

    /// Computes the derived fields from counts.
    public init(rawBytes: Int, symbols: Int, alphabetSize: Int, serializedBytes: Int) {
        self.rawBytes = rawBytes
        self.symbols = symbols
        self.alphabetSize = alphabetSize
        self.serializedBytes = serializedBytes
        self.bytesPerSymbol = symbols > 0 ? Double(rawBytes) / Double(symbols) : nil
        self.bitsPerRawByte = rawBytes > 0 ? Double(symbols) * log2(Double(alphabetSize)) / Double(rawBytes) : nil
        self.serializedBitsPerRawByte = rawBytes > 0 ? Double(serializedBytes) * 8 / Double(rawBytes) : nil
        self.compressionRatio = serializedBytes > 0 ? Double(rawBytes) / Double(serializedBytes) : nil
    }

    enum CodingKeys: String, CodingKey {
        case rawBytes = "raw_bytes", symbols, alphabetSize = "alphabet_size", bytesPerSymbol = "bytes_per_symbol"
        case bitsPerRawByte = "bits_per_raw_byte", serializedBytes = "serialized_bytes"
        case serializedBitsPerRawByte = "serialized_bits_per_raw_byte", compressionRatio = "compression_ratio"
    }
}

/// Whether decode(encode(x)) == x held for every document.
public struct RoundTripRecord: Sendable, Codable, Equatable {
    /// Documents checked.
    public var documents: Int
    /// Documents that failed to decode or decoded differently.
    public var failures: Int
    /// The first failure: document source and reason.
    public var firstFailure: String?

    /// Creates a record.
    public init(documents: Int, failures: Int, firstFailure: String?) {
        self.documents = documents
        self.failures = failures
        self.firstFailure = firstFailure
    }

    enum CodingKeys: String, CodingKey {
        case documents, failures, firstFailure = "first_failure"
    }
}

/// Throughput over the measured split, one thread, median of several passes.
public struct SpeedRecord: Sendable, Codable, Equatable {
    /// Timed passes over the whole split.
    public var passes: Int
    /// Raw megabytes (10^6 bytes) encoded per second, median pass.
    public var encodeMBPerSecond: Double
    /// Raw megabytes produced per second when decoding, median pass.
    public var decodeMBPerSecond: Double
    /// Wall seconds of each encode pass.
    public var encodeSeconds: [Double]
    /// Wall seconds of each decode pass.
    public var decodeSeconds: [Double]

    /// Creates a record from pass timings.
    public init(rawBytes: Int, encodeSeconds: [Double], decodeSeconds: [Double]) {
        self.passes = encodeSeconds.count
        self.encodeSeconds = encodeSeconds
        self.decodeSeconds = decodeSeconds
        self.encodeMBPerSecond = SpeedRecord.throughput(rawBytes, encodeSeconds)
        self.decodeMBPerSecond = SpeedRecord.throughput(rawBytes, decodeSeconds)
    }

    private static func throughput(_ bytes: Int, _ seconds: [Double]) -> Double {
        let median = seconds.median
        return median > 0 ? Double(bytes) / 1e6 / median : 0
    }

    enum CodingKeys: String, CodingKey {
        case passes, encodeMBPerSecond = "encode_mb_per_s", decodeMBPerSecond = "decode_mb_per_s"
        case encodeSeconds = "encode_seconds", decodeSeconds = "decode_seconds"
    }
}

extension Array where Element == Double {
    /// The median, or 0 for an empty array.
    public var median: Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
    }
}

/// What the train stage measured for one model: its raw-byte loss and its curve against compute.
public struct ProxyRecord: Sendable, Codable, Equatable {
    /// One point of the curve.
    public struct Point: Sendable, Codable, Equatable {
        /// Training FLOPs spent.
        public var flops: Double
        /// Raw-byte bits per byte at that point (evaluation sample; the whole split at the end).
        public var rawBitsPerByte: Double

        /// Creates a point.
        public init(flops: Double, rawBitsPerByte: Double) {
            self.flops = flops
            self.rawBitsPerByte = rawBitsPerByte
        }

        enum CodingKeys: String, CodingKey { case flops, rawBitsPerByte = "raw_bits_per_byte" }
    }

    /// Final raw-byte bits per byte on the measured split.
    public var rawBitsPerByte: Double
    /// Rate after the warm-up (0 for the bytes-only baseline).
    public var rate: Double
    /// Stream mode after the warm-up.
    public var mode: String
    /// Optimizer steps.
    public var steps: Int
    /// Total training FLOPs.
    public var flops: Double
    /// The curve of raw bits per byte against FLOPs.
    public var curve: [Point]
    /// The training run's directory (relative to the run directory).
    public var runDirectory: String
    /// Training throughput.
    public var tokensPerSecond: Double

    /// Creates a record.
    public init(
        rawBitsPerByte: Double, rate: Double, mode: String, steps: Int, flops: Double, curve: [Point], runDirectory: String,
        tokensPerSecond: Double
    ) {
        self.rawBitsPerByte = rawBitsPerByte
        self.rate = rate
        self.mode = mode
        self.steps = steps
        self.flops = flops
        self.curve = curve
        self.runDirectory = runDirectory
        self.tokensPerSecond = tokensPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case rawBitsPerByte = "raw_bits_per_byte", rate, mode, steps, flops, curve, runDirectory = "run_directory"
        case tokensPerSecond = "tokens_per_second"
    }
}
