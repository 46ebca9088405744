import ExternalPluginHost
import Foundation
import WorkbenchCore

// The host side of the external-plugin benchmark: encodes and decodes every corpus document
// through an external plugin and prints one JSON line.
//
//   external-bench --corpus corpora/cpython-stdlib.jsonl --manifest plugins/external/xz-python/plugin.json \
//                  [--options preset=6,container=xz] [--mode batched|per-document] [--passes 3]
//
// `batched` is what `compare`'s rate stage does: `RateMeasurement` with a fresh compressor
// instance per timed phase, timing only the encode and decode calls (each measurement batch is
// one request each way), the first pass verifying every round trip. `per-document` calls
// `encode` and `decode` once per document (one process round trip each), as the rate stage did
// before it batched. Both report the median pass; the plugin is started and self-tested before
// timing, as direct.py's interpreter has started before it times.

struct Arguments {
    var corpus = "corpora/cpython-stdlib.jsonl"
    var manifest = "plugins/external/xz-python/plugin.json"
    var options: [String: String] = [:]
    var mode = "batched"
    var passes = 3

    init(_ list: [String]) throws {
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < list.count else { throw WorkbenchError("\(list[index - 1]) needs a value") }
            return list[index]
        }
        while index < list.count {
            switch list[index] {
            case "--corpus": corpus = try value()
            case "--manifest": manifest = try value()
            case "--options": options = try CompressorSpec(parsing: "x:" + value()).options
            case "--mode": mode = try value()
            case "--passes":
                guard let count = Int(try value()), count >= 1 else { throw WorkbenchError("--passes is a whole number from 1") }
                passes = count
            default: throw WorkbenchError("unknown argument \(list[index]); see the comment at the top of main.swift")
            }
            index += 1
        }
        guard ["batched", "per-document"].contains(mode) else { throw WorkbenchError("--mode is batched or per-document") }
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

func run() throws {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let documents = try Corpus.load(path: arguments.corpus).documents
    let manifest = try PluginManifest.load(path: arguments.manifest)
    let options = try ResolvedOptions(arguments.options, specs: manifest.options, compressor: manifest.id)
    let compressor = try ExternalCompressor(manifest: manifest, options: options)

    var hashed: [UInt8] = []
    func hash(_ encoded: EncodedDocument) {
        var length = UInt64(encoded.symbolCount)
        for _ in 0..<8 {
            hashed.append(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        hashed.append(contentsOf: encoded.symbols.map { UInt8(truncatingIfNeeded: $0) })
    }
    var encodeSeconds: [Double] = []
    var decodeSeconds: [Double] = []
    var symbols = 0
    if arguments.mode == "batched" {
        let measurement = RateMeasurement(
            passes: arguments.passes, freshInstance: { try ExternalCompressor(manifest: manifest, options: options) })
        let outcome = try measurement.run(compressor, on: documents) { _, encoded in hash(encoded) }
        guard outcome.roundTrip.failures == 0 else {
            throw WorkbenchError("round trip failed: \(outcome.roundTrip.firstFailure ?? "?")")
        }
        encodeSeconds = outcome.speed.encodeSeconds
        decodeSeconds = outcome.speed.decodeSeconds
        symbols = outcome.rate.symbols
    } else {
        for pass in 0..<arguments.passes {
            var start = ContinuousClock.now
            let encoded = try documents.map { try compressor.encode($0.bytes) }
            encodeSeconds.append(seconds(since: start))
            start = ContinuousClock.now
            let decoded = try zip(encoded, documents).map { try compressor.decode($0, maxOutputBytes: $1.bytes.count) }
            decodeSeconds.append(seconds(since: start))
            if pass == 0 {
                guard decoded == documents.map(\.bytes) else { throw WorkbenchError("round trip failed") }
                encoded.forEach(hash)
                symbols = encoded.reduce(0) { $0 + $1.symbolCount }
            }
        }
    }
    let counts = compressor.processCounts
    compressor.shutdown()
    let fields: [String] = [
        "\"benchmark\": \"external-bench/2\"", "\"side\": \"host-\(arguments.mode)\"", "\"documents\": \(documents.count)",
        "\"input_bytes\": \(documents.reduce(0) { $0 + $1.bytes.count })", "\"symbols\": \(symbols)",
        "\"encode_seconds\": \(rounded(median(encodeSeconds)))", "\"decode_seconds\": \(rounded(median(decodeSeconds)))",
        "\"encode_seconds_all\": [\(encodeSeconds.map { String(rounded($0)) }.joined(separator: ", "))]",
        "\"decode_seconds_all\": [\(decodeSeconds.map { String(rounded($0)) }.joined(separator: ", "))]",
        "\"plugin_processes_started\": \(counts.started)",
        "\"sha256\": \"\(SHA256.hexDigest(hashed))\"", "\"spec\": \"\(compressor.descriptor.spec)\"",
    ]
    print("{" + fields.joined(separator: ", ") + "}")
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("external-bench: \(error)\n".utf8))
    exit(1)
}
