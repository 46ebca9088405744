// The ac benchmark. Subcommands:
//   ac-bench train CORPUS OUTDIR [steps]       train the default M1 on the train split, timed
//   ac-bench measure CORPUS MODELDIR [docs]    every figure of the issue on the valid split
// Prints one JSON object per line (results) and progress on stderr.
import ACPlugin
import Foundation
import NeuralEngine
import WorkbenchCore

func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

func emit(_ fields: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]),
        let text = String(data: data, encoding: .utf8)
    {
        print(text)
        fflush(stdout)
    }
}

func now() -> Double { Date().timeIntervalSince1970 }

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    log("usage: ac-bench train CORPUS OUTDIR [steps] | measure CORPUS MODELDIR [docs]")
    exit(2)
}
let corpus = try Corpus.load(path: arguments[2])

switch arguments[1] {
case "train":
    var settings = M1TrainingSettings.standard
    if arguments.count > 4, let steps = Int(arguments[4]) { settings.steps = steps }
    let documents = corpus.documents(in: .train).map(\.bytes)
    let start = now()
    let model = try M1Trainer.train(documents: documents, settings: settings, directory: arguments[3]) { log($0) }
    emit([
        "measure": "train", "seconds": now() - start, "steps": settings.steps, "width": settings.width,
        "layers": settings.layers, "context": settings.contextLength, "batch": settings.batchSize,
        "parameters": model.config.parameterCount, "training_bytes": documents.reduce(0) { $0 + $1.count },
        "model_hash": model.weightsSHA256, "threads": EngineThreads.count,
    ])

case "measure":
    let modelDirectory = arguments[3]
    let limit = arguments.count > 4 ? Int(arguments[4]) ?? Int.max : Int.max
    let documents = Array(corpus.documents(in: .valid).map(\.bytes).prefix(limit))
    let totalBytes = documents.reduce(0) { $0 + $1.count }
    log("valid split: \(documents.count) documents, \(totalBytes) bytes")
    func build(_ options: [String: String]) throws -> ACCompressor {
        var given = options
        given["model"] = modelDirectory
        let resolved = try ResolvedOptions(given, specs: ACPlugin.options, compressor: "ac")
        return try ACPlugin.makeCompressor(resolved, context: .withoutCorpus)
    }

    // Encodes every document on both cores (documents in parallel), checks the round trip
    // (decoding also on both cores), returns symbols, spans' bytes and wall times. Decoding uses
    // a second instance: one compressor's prediction cache would otherwise hand the decoder
    // every probability the encoder computed.
    func run(
        _ compressor: ACCompressor, decoder: ACCompressor
    ) throws -> (symbols: [Int], encodeSeconds: Double, decodeSeconds: Double) {
        final class Box: @unchecked Sendable {
            var encoded: [EncodedDocument?]
            var failures: [String] = []
            let lock = NSLock()
            init(_ n: Int) { encoded = Array(repeating: nil, count: n) }
        }
        let box = Box(documents.count)
        let t0 = now()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            var index = worker
            while index < documents.count {
                do {
                    let e = try compressor.encode(documents[index])
                    box.lock.withLock { box.encoded[index] = e }
                } catch {
                    box.lock.withLock { box.failures.append("encode \(index): \(error)") }
                }
                index += 2
            }
        }
        let encodeSeconds = now() - t0
        let t1 = now()
        for (index, document) in documents.enumerated() {
            guard let encoded = box.encoded[index] else { continue }
            let decoded = try decoder.decode(encoded, maxOutputBytes: document.count)
            if decoded != document { box.failures.append("round trip differs on document \(index)") }
        }
        let decodeSeconds = now() - t1
        if !box.failures.isEmpty { throw WorkbenchError(box.failures.joined(separator: "; ")) }
        return (box.encoded.map { $0?.symbols.count ?? 0 }, encodeSeconds, decodeSeconds)
    }

    // ONLY=entropy (say) measures just the window configurations whose options mention it.
    let only = ProcessInfo.processInfo.environment["ONLY"]
    if only == nil {
        // 1. Ideal code length: sum of -log2 p under M1 with exactly the contexts plain AC uses.
        let plain = try build(["window": "0"])
        var idealBits = 0.0
        do {
            let model = plain.model
            for document in documents where !document.isEmpty {
                let session = try InferenceSession(
                    parameters: model.parameters, batchSize: 1, capacity: model.config.contextLength)
                // Same re-seeding rule as the coder: BOS + the last capacity/2 - 1 bytes when full.
                var history: [UInt8] = []
                var anchor = 0
                var probabilities = try session.stepProbabilities([256])
                for (index, byte) in document.enumerated() {
                    var sum = 0.0
                    for i in 0..<256 { sum += Double(probabilities[i]) }
                    idealBits -= log2(Double(probabilities[Int(byte)]) / sum)
                    if index + 1 == document.count { break }
                    if session.lengths[0] >= session.capacity {
                        anchor = history.count - (session.capacity / 2 - 1)
                        session.resetAll()
                        _ = try session.stepProbabilities([256])
                        for b in history[anchor...] { _ = try session.stepProbabilities([Int32(b)]) }
                    }
                    history.append(byte)
                    probabilities = try session.stepProbabilities([Int32(byte)])
                }
            }
        }
        // 2. Plain AC at its default precision (24) and at 16.
        for precision in ["24", "16"] {
            let compressor = try build(["window": "0", "precision": precision])
            let result = try run(compressor, decoder: try build(["window": "0", "precision": precision]))
            var headerBytes = 0
            for document in documents {
                var n = document.count
                repeat { headerBytes += 1; n >>= 7 } while n != 0
            }
            let streamBytes = result.symbols.reduce(0, +)
            let payloadBits = Double((streamBytes - headerBytes) * 8)
            emit([
                "measure": "plain_ac", "precision": Int(precision) ?? 0, "documents": documents.count, "bytes": totalBytes,
                "stream_bytes": streamBytes, "header_bytes": headerBytes,
                "bits_per_byte": Double(streamBytes * 8) / Double(totalBytes),
                "ideal_bits_per_byte": idealBits / Double(totalBytes),
                "overhead_payload_percent": (payloadBits / idealBits - 1) * 100,
                "overhead_total_percent": (Double(streamBytes * 8) / idealBits - 1) * 100,
                "encode_kb_per_s": Double(totalBytes) / 1000 / result.encodeSeconds,
                "decode_kb_per_s": Double(totalBytes) / 1000 / result.decodeSeconds,
            ])
        }
        // 3. brotli -11 per document, through the brotli CLI.
        var brotliBytes = 0
        let scratch = NSTemporaryDirectory() + "ac-bench-brotli"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        for (index, document) in documents.enumerated() {
            let input = scratch + "/\(index)"
            FileManager.default.createFile(atPath: input, contents: Data(document))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/brotli")
            process.arguments = ["-q", "11", "-f", "-o", input + ".br", input]
            try process.run()
            process.waitUntilExit()
            let size = (try? FileManager.default.attributesOfItem(atPath: input + ".br")[.size] as? Int) ?? nil
            brotliBytes += size ?? 0
        }
        emit([
            "measure": "brotli11", "bytes": totalBytes, "stream_bytes": brotliBytes,
            "bits_per_byte": Double(brotliBytes * 8) / Double(totalBytes),
        ])
    }

    // 4. Equal-info windows.
    let windowConfigurations: [[String: String]] = [
        ["window": "16", "context": "window"],
        ["window": "16", "context": "segment"],
        ["window": "16", "context": "window", "segment": "entropy"],
        ["window": "16", "context": "segment", "segment": "entropy"],
        ["window": "16", "context": "window", "segment": "entropy", "raw": "none"],
        ["window": "16", "context": "window", "raw": "tail"],
    ]
    for options in windowConfigurations where only.map({ key in options.values.contains(key) }) ?? true {
        let compressor = try build(options)
        let result = try run(compressor, decoder: try build(options))
        let symbols = result.symbols.reduce(0, +)
        emit([
            "measure": "equal_info", "spec": compressor.descriptor.spec.description, "documents": documents.count,
            "bytes": totalBytes, "symbols": symbols, "bytes_per_symbol": Double(totalBytes) / Double(max(1, symbols)),
            "bits_per_byte": Double(symbols * 16) / Double(totalBytes),
            "encode_kb_per_s": Double(totalBytes) / 1000 / result.encodeSeconds,
            "decode_kb_per_s": Double(totalBytes) / 1000 / result.decodeSeconds,
        ])
    }
default:
    log("unknown subcommand \(arguments[1])")
    exit(2)
}
