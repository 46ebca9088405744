import ExternalPluginHost
import Foundation
import WorkbenchCore

// The external-plugin benchmark's measuring program: the same passes over a corpus through the
// workbench's external-plugin host and through the plugin's own Python functions called directly,
// alternating, and one JSON line with both sides and their same-step ratios.
//
//   external-bench --corpus corpora/cpython-stdlib.jsonl --manifest plugins/external/xz-python/plugin.json \
//                  [--options preset=0,container=xz] [--mode batched|per-document] [--steps 15] \
//                  -- python3 Benchmarks/external/direct.py --serve --corpus ... --plugin ... --preset 0 --container xz
//
// Why alternate: this machine's speed changes by up to 1.5x for seconds at a time (the same direct
// decode of the whole corpus takes 0.103 s or 0.150 s, whichever CPU it runs on and whatever the
// hypervisor is doing), so two sides timed minutes apart can compare two different machines. Each
// step times one host pass and one direct pass back to back (the order swapping every step), and
// the ratio of the two is taken within the step; the median over steps is the estimate. A warm-up
// step before the timed ones (both sides, untimed) starts the plugin, and checks that both sides
// produce the same encodings (SHA-256): the benchmark refuses to report otherwise.

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

func list(_ values: [Double]) -> String { "[" + values.map { String(rounded($0)) }.joined(separator: ", ") + "]" }

func run() throws {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let documents = try Corpus.load(path: arguments.corpus).documents
    let manifest = try PluginManifest.load(path: arguments.manifest)
    let options = try ResolvedOptions(arguments.options, specs: manifest.options, compressor: manifest.id)
    // Holding one instance keeps the shared plugin process alive from the warm-up to the end.
    let keeper = try ExternalCompressor(manifest: manifest, options: options)
    let host = HostSide(manifest: manifest, options: options, documents: documents, mode: arguments.mode)
    let direct = try DirectWorker(command: arguments.direct)
    defer { direct.finish() }

    let warmHost = try host.pass()
    let warmDirect = try direct.pass()
    guard warmHost.sha256 == warmDirect.sha256 else {
        throw WorkbenchError("the host's encodings (\(warmHost.sha256)) differ from direct.py's (\(warmDirect.sha256))")
    }
    var hostPasses: [HostPass] = []
    var directPasses: [DirectWorker.Pass] = []
    for step in 0..<arguments.steps {
        if step % 2 == 0 {
            hostPasses.append(try host.pass())
            directPasses.append(try direct.pass())
        } else {
            directPasses.append(try direct.pass())
            hostPasses.append(try host.pass())
        }
    }
    let counts = keeper.processCounts
    keeper.shutdown()

    // Speed of the host relative to direct: direct seconds / host seconds (above 1: faster).
    let encodeRatios = zip(directPasses, hostPasses).map { $0.encodeSeconds / $1.encodeSeconds }
    let decodeRatios = zip(directPasses, hostPasses).map { $0.decodeSeconds / $1.decodeSeconds }
    let fields: [String] = [
        "\"benchmark\": \"external-bench/3\"", "\"mode\": \"\(arguments.mode.rawValue)\"", "\"documents\": \(documents.count)",
        "\"input_bytes\": \(documents.reduce(0) { $0 + $1.bytes.count })", "\"symbols\": \(warmHost.symbols)",
        "\"steps\": \(arguments.steps)",
        "\"host_encode_seconds\": \(list(hostPasses.map(\.encodeSeconds)))",
        "\"host_decode_seconds\": \(list(hostPasses.map(\.decodeSeconds)))",
        "\"direct_encode_seconds\": \(list(directPasses.map(\.encodeSeconds)))",
        "\"direct_decode_seconds\": \(list(directPasses.map(\.decodeSeconds)))",
        "\"encode_ratios\": \(list(encodeRatios))", "\"decode_ratios\": \(list(decodeRatios))",
        "\"encode_ratio\": \(rounded(median(encodeRatios)))", "\"decode_ratio\": \(rounded(median(decodeRatios)))",
        "\"plugin_processes_started\": \(counts.started)", "\"sha256\": \"\(warmHost.sha256)\"",
        "\"spec\": \"\(keeper.descriptor.spec)\"",
    ]
    print("{" + fields.joined(separator: ", ") + "}")
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("external-bench: \(error)\n".utf8))
    exit(1)
}
