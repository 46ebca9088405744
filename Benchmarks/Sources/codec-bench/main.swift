// codec-bench: per-document throughput of the zstd, brotli and gzip plugins against a plain C
// loop calling the same libraries on the same documents, in the same run.
//
//   codec-bench [--corpus PATH] [--max-bytes N] [--rounds R] [--decode-rounds D] [--codecs zstd,brotli,gzip]
//               [--bound exact|loose] [--phases encode,decode] [--clock cpu|wall] [--text-field NAME]
//
// For each codec: one verified pass per side (round trips, identical compressed bytes), then R
// timed encode rounds and D (many more: decoding is fast, and many short alternating rounds
// are what survives a busy machine) timed decode rounds, alternating which side goes first;
// the median of each side is reported.
import BrotliPlugin
import CodecBaseline
import Foundation
import GzipPlugin
import WorkbenchCore
import ZstdPlugin

struct Options {
    var corpus = "corpora/cpython-stdlib.jsonl"
    var textField = "text"
    var maxBytes = 4 << 20
    var rounds = 5
    var decodeRounds = 100
    var codecs = ["zstd", "brotli", "gzip"]
    var looseBound = false
    var wallClock = false
    var timeEncode = true
    var timeDecode = true

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            return next
        }
        func integer(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else {
                throw BenchError("\(flag) takes a positive whole number, not '\(text)'")
            }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--corpus": options.corpus = try value(flag)
            case "--text-field": options.textField = try value(flag)
            case "--max-bytes": options.maxBytes = try integer(flag)
            case "--rounds": options.rounds = try integer(flag)
            case "--decode-rounds": options.decodeRounds = try integer(flag)
            case "--codecs": options.codecs = try value(flag).split(separator: ",").map(String.init)
            case "--bound":
                switch try value(flag) {
                case "exact": options.looseBound = false
                case "loose": options.looseBound = true
                default: throw BenchError("--bound takes exact or loose")
                }
            case "--clock":
                switch try value(flag) {
                case "cpu": options.wallClock = false
                case "wall": options.wallClock = true
                default: throw BenchError("--clock takes cpu or wall")
                }
            case "--phases":
                let phases = try value(flag).split(separator: ",")
                options.timeEncode = phases.contains("encode")
                options.timeDecode = phases.contains("decode")
            case "--help", "-h":
                print(
                    "usage: codec-bench [--corpus PATH] [--max-bytes N] [--rounds R] [--decode-rounds D] [--codecs zstd,brotli,gzip] [--bound exact|loose] [--phases encode,decode] [--clock cpu|wall] [--text-field NAME]"
                )
                exit(0)
            default: throw BenchError("unknown argument '\(flag)'; see --help")
            }
        }
        return options
    }
}

/// One codec at the issue's settings, in both implementations.
struct CodecCase {
    var entry: CompressorEntry
    var options: [String: String]
    var params: cb_params

    static func named(_ id: String) throws -> CodecCase {
        switch id {
        case "zstd":
            return CodecCase(
                entry: ZstdPlugin.entry, options: ["level": "19"], params: cb_params(codec: CB_ZSTD, level: 19, window: 0))
        case "brotli":
            return CodecCase(
                entry: BrotliPlugin.entry, options: ["quality": "11", "window": "22"],
                params: cb_params(codec: CB_BROTLI, level: 11, window: 22))
        case "gzip":
            return CodecCase(
                entry: GzipPlugin.entry, options: ["level": "9", "container": "gzip"],
                params: cb_params(codec: CB_GZIP, level: 9, window: 0))
        default: throw BenchError("unknown codec '\(id)'; use zstd, brotli or gzip")
        }
    }
}

/// Which clock times a run: this thread's CPU time (default: on a shared machine it leaves out
/// the time other processes hold the core, which wall time would charge to whichever side was
/// running), or wall time.
nonisolated(unsafe) var useWallClock = false

func now() -> Double {
    var time = timespec()
    clock_gettime(useWallClock ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = now()
    try body()
    return now() - start
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

struct CodecResult {
    var id: String
    var spec: String
    var library: String
    var compressedOurs: Int
    var compressedC: Int
    var sizesIdentical: Bool
    var bytesIdentical: Bool
    var encodeOurs: Double
    var encodeC: Double
    /// `decode(_:into:maxOutputBytes:)` with one reused buffer, as `compare` decodes a split.
    var decodeOurs: Double
    /// `decode(_:maxOutputBytes:)`, a new array per document.
    var decodeOursArray: Double
    var decodeC: Double
    /// The C loop doing the API's work: narrowing the 32-bit symbols, a new output per document.
    var decodeCFromSymbols: Double
    /// Ratios of the fastest rounds: on a shared machine the best case is the least disturbed.
    var encodeBestRatio: Double
    var decodeBestRatio: Double
}

func run(_ codec: CodecCase, corpus: BenchCorpus, options: Options) throws -> CodecResult {
    let compressor = try codec.entry.make(ResolvedOptions(values: codec.options), .withoutCorpus)
    let documents = corpus.documents
    let baseline = CBaselineRunner(params: codec.params, documents: documents)
    let bounds = documents.map { options.looseBound ? 64 << 20 : $0.count }
    let megabytes = Double(corpus.totalBytes) / 1e6
    let id = compressor.descriptor.id

    // Verification pass, untimed: both round-trip every document, and write the same bytes.
    guard baseline.compressAll(), baseline.decompressAll(verify: true) else {
        throw BenchError("\(id): the C loop failed to round-trip the corpus")
    }
    var encoded: [EncodedDocument] = []
    encoded.reserveCapacity(documents.count)
    for document in documents { encoded.append(try compressor.encode(document)) }
    var sizesIdentical = true
    var bytesIdentical = true
    for (index, document) in documents.enumerated() {
        guard try compressor.decode(encoded[index], maxOutputBytes: bounds[index]) == document else {
            throw BenchError("\(id): document \(index) did not round-trip through the plugin")
        }
        if encoded[index].symbols.count != baseline.compressedBytes[index] {
            sizesIdentical = false
            bytesIdentical = false
        } else if encoded[index].symbols != baseline.compressedDocument(index).map(UInt32.init) {
            bytesIdentical = false
        }
    }
    let compressedOurs = encoded.reduce(0) { $0 + $1.symbols.count }
    let compressedC = (0..<documents.count).reduce(0) { $0 + baseline.compressedBytes[$1] }

    var encodeOurs: [Double] = []
    var encodeC: [Double] = []
    var decodeOurs: [Double] = []
    var decodeOursArray: [Double] = []
    var decodeC: [Double] = []
    var decodeCFromSymbols: [Double] = []
    var sink = 0
    baseline.loadSymbols(encoded)
    for round in 0..<(options.timeEncode ? options.rounds : 0) {
        // Document by document, alternating which side goes first: encoding one document takes
        // milliseconds, so a burst of load from elsewhere hits both sides alike.
        var fresh: [EncodedDocument] = []
        fresh.reserveCapacity(documents.count)
        var oursSeconds = 0.0
        var cSeconds = 0.0
        for (index, document) in documents.enumerated() {
            for oursNow in (index + round) % 2 == 0 ? [true, false] : [false, true] {
                if oursNow {
                    oursSeconds += try seconds { fresh.append(try compressor.encode(document)) }
                } else {
                    var written = 0
                    cSeconds += seconds { written = baseline.encodeOne(index) }
                    guard written == baseline.compressedBytes[index] else {
                        throw BenchError("\(id): the C loop failed or changed size on document \(index)")
                    }
                }
            }
        }
        encodeOurs.append(oursSeconds)
        encodeC.append(cSeconds)
        encoded = fresh
        FileHandle.standardError.write(Data("  \(id) encode round \(round + 1)/\(options.rounds) done\n".utf8))
    }
    for round in 0..<(options.timeDecode ? options.decodeRounds : 0) {
        // Four decoders: ours into one reused buffer, ours returning arrays, the C loop on bytes
        // (one reused buffer), the C loop doing the array API's work (symbols in, a new buffer
        // out); their order rotates each round.
        for turn in 0..<4 {
            switch (turn + round) % 4 {
            case 0:
                let buffer = DecodeBuffer()
                decodeOurs.append(
                    try seconds {
                        for index in encoded.indices {
                            try compressor.decode(encoded[index], into: buffer, maxOutputBytes: bounds[index])
                            sink &+= buffer.count
                        }
                    })
            case 3:
                var arrayBytes = 0
                decodeOursArray.append(
                    try seconds {
                        for index in encoded.indices {
                            arrayBytes &+= try compressor.decode(encoded[index], maxOutputBytes: bounds[index]).count
                        }
                    })
                guard arrayBytes == corpus.totalBytes else { throw BenchError("\(id): decoded byte count mismatch (arrays)") }
            case 1:
                var ok = true
                decodeC.append(seconds { ok = baseline.decompressAll(verify: false) })
                guard ok else { throw BenchError("\(id): the C loop failed") }
            default:
                var ok = true
                decodeCFromSymbols.append(seconds { ok = baseline.decompressSymbolsAll() })
                guard ok else { throw BenchError("\(id): the C loop over symbols failed") }
            }
        }
    }
    guard sink == (options.timeDecode ? corpus.totalBytes * options.decodeRounds : 0) else {
        throw BenchError("\(id): decoded byte count mismatch")
    }
    let library = "\(compressor.descriptor.libraryName ?? "") \(compressor.descriptor.libraryVersion ?? "")"
    return CodecResult(
        id: id, spec: compressor.descriptor.spec.description, library: library,
        compressedOurs: compressedOurs, compressedC: compressedC,
        sizesIdentical: sizesIdentical, bytesIdentical: bytesIdentical,
        encodeOurs: megabytes / median(encodeOurs), encodeC: megabytes / median(encodeC),
        decodeOurs: megabytes / median(decodeOurs), decodeOursArray: megabytes / median(decodeOursArray),
        decodeC: megabytes / median(decodeC),
        decodeCFromSymbols: megabytes / median(decodeCFromSymbols),
        encodeBestRatio: (encodeC.min() ?? .nan) / (encodeOurs.min() ?? .nan),
        decodeBestRatio: (decodeC.min() ?? .nan) / (decodeOurs.min() ?? .nan))
}

do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    useWallClock = options.wallClock
    let corpus = try BenchCorpus.load(path: options.corpus, textField: options.textField, maxBytes: options.maxBytes)
    FileHandle.standardError.write(
        Data(
            "corpus \(corpus.name): \(corpus.documents.count) documents, \(corpus.totalBytes) bytes; \(options.rounds) encode and \(options.decodeRounds) decode rounds; bound \(options.looseBound ? "loose (64 MiB)" : "exact"); \(options.wallClock ? "wall" : "thread CPU") clock\n"
                .utf8))
    var results: [CodecResult] = []
    for id in options.codecs {
        let result = try run(try CodecCase.named(id), corpus: corpus, options: options)
        results.append(result)
        let json: [String: Any] = [
            "benchmark": "codec-bench/1", "codec": result.id, "spec": result.spec, "library": result.library,
            "corpus": corpus.name, "documents": corpus.documents.count, "raw_bytes": corpus.totalBytes,
            "rounds": options.rounds, "decode_rounds": options.decodeRounds,
            "clock": options.wallClock ? "wall" : "thread_cpu", "bound": options.looseBound ? "loose" : "exact",
            "compressed_bytes_ours": result.compressedOurs, "compressed_bytes_c": result.compressedC,
            "sizes_identical": result.sizesIdentical, "bytes_identical": result.bytesIdentical,
            "encode_mb_per_s_ours": result.encodeOurs, "encode_mb_per_s_c": result.encodeC,
            "encode_ratio": result.encodeOurs / result.encodeC,
            "decode_mb_per_s_ours": result.decodeOurs, "decode_mb_per_s_c": result.decodeC,
            "decode_ratio": result.decodeOurs / result.decodeC,
            "decode_mb_per_s_ours_arrays": result.decodeOursArray,
            "decode_ratio_arrays": result.decodeOursArray / result.decodeC,
            "decode_mb_per_s_c_api_work": result.decodeCFromSymbols,
            "decode_ratio_arrays_vs_c_api_work": result.decodeOursArray / result.decodeCFromSymbols,
            "encode_ratio_best_round": result.encodeBestRatio, "decode_ratio_best_round": result.decodeBestRatio,
        ]
        // Skipped phases have no figure: JSON has no NaN, so they are left out.
        let finite = json.filter { !(($0.value as? Double)?.isNaN ?? false) }
        let data = try JSONSerialization.data(withJSONObject: finite, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
    print("")
    print(
        "| codec | library | ratio x | encode MB/s ours | C | ours/C | decode MB/s ours | C | ours/C | ours, arrays | arrays/C | C, API work | arrays/that | sizes equal |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results {
        let compressionRatio = Double(corpus.totalBytes) / Double(max(r.compressedOurs, 1))
        print(
            "| \(r.spec) | \(r.library) | \(format(compressionRatio)) | \(format(r.encodeOurs)) | \(format(r.encodeC)) | \(format(r.encodeOurs / r.encodeC, 3)) | \(format(r.decodeOurs, 1)) | \(format(r.decodeC, 1)) | \(format(r.decodeOurs / r.decodeC, 3)) | \(format(r.decodeOursArray, 1)) | \(format(r.decodeOursArray / r.decodeC, 3)) | \(format(r.decodeCFromSymbols, 1)) | \(format(r.decodeOursArray / r.decodeCFromSymbols, 3)) | \(r.sizesIdentical ? "yes" : "NO")\(r.bytesIdentical ? " (bytes too)" : "") |"
        )
    }
} catch {
    FileHandle.standardError.write(Data("codec-bench: \(error)\n".utf8))
    exit(1)
}
