import ExternalPluginHost
import Foundation
import WorkbenchCore

// The host side of the external-plugin benchmark: encodes every corpus document through an
// external plugin and prints one JSON line per mode.
//
//   external-bench --corpus corpora/cpython-stdlib.jsonl --manifest plugins/external/xz-python/plugin.json \
//                  [--options preset=6,container=xz] [--mode batched|per-document]
//
// The clock starts before the plugin process is spawned and stops when the last encoding is
// back, so it includes interpreter start-up, the handshake, the host's self-test and all
// transport: everything the process boundary costs. Before timing, nothing is warmed up on
// purpose; after timing, every document is decoded and compared (untimed).

struct Arguments {
    var corpus = "corpora/cpython-stdlib.jsonl"
    var manifest = "plugins/external/xz-python/plugin.json"
    var options: [String: String] = [:]
    var mode = "batched"

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
            default: throw WorkbenchError("unknown argument \(list[index]); see the comment at the top of main.swift")
            }
            index += 1
        }
        guard ["batched", "per-document"].contains(mode) else { throw WorkbenchError("--mode is batched or per-document") }
    }
}

func run() throws {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let documents = try Corpus.load(path: arguments.corpus).documents.map(\.bytes)
    let manifest = try PluginManifest.load(path: arguments.manifest)
    let options = try ResolvedOptions(arguments.options, specs: manifest.options, compressor: manifest.id)

    let start = ContinuousClock.now
    let compressor = try ExternalCompressor(manifest: manifest, options: options)
    let encoded: [EncodedDocument]
    if arguments.mode == "batched" {
        encoded = try compressor.encodeBatch(documents)
    } else {
        encoded = try documents.map { try compressor.encode($0) }
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

    // Untimed checks: every document round-trips, and the symbols hash like direct.py's outputs.
    let decoded = try compressor.decodeBatch(encoded, maxOutputBytes: documents.map(\.count).max() ?? 0)
    guard decoded == documents else { throw WorkbenchError("round trip failed") }
    var hashed: [UInt8] = []
    for document in encoded {
        var length = UInt64(document.symbols.count)
        for _ in 0..<8 {
            hashed.append(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        hashed.append(contentsOf: document.symbols.map { UInt8(truncatingIfNeeded: $0) })
    }
    compressor.shutdown()
    let fields: [String] = [
        "\"benchmark\": \"external-bench/1\"", "\"side\": \"host-\(arguments.mode)\"", "\"documents\": \(documents.count)",
        "\"input_bytes\": \(documents.reduce(0) { $0 + $1.count })",
        "\"symbols\": \(encoded.reduce(0) { $0 + $1.symbols.count })",
        "\"encode_seconds\": \((seconds * 10_000).rounded() / 10_000)", "\"sha256\": \"\(SHA256.hexDigest(hashed))\"",
        "\"spec\": \"\(compressor.descriptor.spec)\"",
    ]
    print("{" + fields.joined(separator: ", ") + "}")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("external-bench: \(error)\n".utf8))
    exit(1)
}
