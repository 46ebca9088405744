// bpe-bench: times the bpe plugin's trainer and tokenizer on a corpus, for run.sh.
//
//   bpe-bench train  --corpus PATH --vocab N --pretokenizer gpt2|none|gpt4|whitespace --out DIR
//   bpe-bench encode --corpus PATH --tokenizer tokenizer.json --ids-out FILE [--passes N]
//
// Prints one JSON object per command on stdout (wall seconds, MB/s, peak resident memory).
import BPEPlugin
import Foundation
import WorkbenchCore

func argument(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// Resident-set figures from /proc/self/status, in kilobytes (VmHWM is the peak).
func memoryKilobytes(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
    return -1
}

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func emit(_ object: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
        let text = String(data: data, encoding: .utf8)
    {
        print(text)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bpe-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("usage: bpe-bench train|encode ...") }
guard let corpusPath = argument("--corpus", arguments) else { fail("--corpus PATH is required") }
let corpus: Corpus
do { corpus = try Corpus.load(path: corpusPath) } catch { fail("\(error)") }

switch command {
case "train":
    let documents = corpus.documents(in: .train).map(\.bytes)
    let vocabulary = Int(argument("--vocab", arguments) ?? "16384") ?? 16384
    guard let preTokenizer = PreTokenizer(rawValue: argument("--pretokenizer", arguments) ?? "gpt2") else {
        fail("unknown --pretokenizer")
    }
    let residentBefore = memoryKilobytes("VmRSS")
    let start = now()
    let model: BPEModel
    do {
        model = try BPETrainer(vocabularySize: vocabulary, preTokenizer: preTokenizer).train(documents)
    } catch { fail("\(error)") }
    let seconds = now() - start
    if let out = argument("--out", arguments) {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try TokenizerJSON.save(model, to: out + "/tokenizer.json")
        } catch { fail("\(error)") }
    }
    emit([
        "tool": "ours", "task": "train", "pretokenizer": preTokenizer.rawValue, "vocab": model.vocabularySize,
        "merges": model.merges.count, "wall_seconds": seconds, "documents": documents.count,
        "bytes": documents.reduce(0) { $0 + $1.count }, "rss_before_kb": residentBefore,
        "peak_rss_kb": memoryKilobytes("VmHWM"),
    ])

case "encode":
    guard let tokenizerPath = argument("--tokenizer", arguments) else { fail("--tokenizer PATH is required") }
    let documents = corpus.documents(in: .all).map(\.bytes)
    let totalBytes = documents.reduce(0) { $0 + $1.count }
    let passes = Int(argument("--passes", arguments) ?? "5") ?? 5
    let model: BPEModel
    do { model = try TokenizerJSON.load(path: tokenizerPath) } catch { fail("\(error)") }
    var coldSeconds = 0.0
    var bestIDsSeconds = Double.infinity
    var allIDs: [[UInt32]] = []
    // Pass 0 runs on a fresh tokenizer (empty word cache); later passes reuse its cache.
    let tokenizer = BPETokenizer(model: model)
    for pass in 0..<passes {
        let start = now()
        var ids: [[UInt32]] = []
        ids.reserveCapacity(documents.count)
        for document in documents { ids.append(tokenizer.encode(document)) }
        let seconds = now() - start
        if pass == 0 {
            coldSeconds = seconds
            allIDs = ids
        }
        bestIDsSeconds = min(bestIDsSeconds, seconds)
    }
    // The full Compressor path: ids plus one span per token.
    var compressor: BPECompressor?
    do { compressor = try BPECompressor(tokenizer: tokenizer, representation: .ids, options: [:]) } catch { fail("\(error)") }
    var bestSpansSeconds = Double.infinity
    for _ in 0..<passes {
        let start = now()
        var symbols = 0
        for document in documents { symbols += (try? compressor?.encode(document).symbols.count) ?? 0 }
        bestSpansSeconds = min(bestSpansSeconds, now() - start)
        if symbols == 0 { fail("no symbols") }
    }
    // Round trip every document once, outside the timing.
    for (document, ids) in zip(documents, allIDs) {
        guard (try? tokenizer.decode(ids, maxOutputBytes: document.count, compressor: "bpe")) == document else {
            fail("round trip failed")
        }
    }
    if let idsOut = argument("--ids-out", arguments) {
        var bytes: [UInt8] = []
        for ids in allIDs {
            let count = UInt32(ids.count)
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
            for id in ids {
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: id >> UInt32(shift))) }
            }
        }
        do { try AtomicFile.write(bytes, to: idsOut) } catch { fail("\(error)") }
    }
    let megabytes = Double(totalBytes) / 1e6
    emit([
        "tool": "ours", "task": "encode", "bytes": totalBytes, "documents": documents.count,
        "tokens": allIDs.reduce(0) { $0 + $1.count },
        "cold_mb_per_s": megabytes / coldSeconds, "warm_mb_per_s": megabytes / bestIDsSeconds,
        "warm_with_spans_mb_per_s": megabytes / bestSpansSeconds, "peak_rss_kb": memoryKilobytes("VmHWM"),
    ])

default:
    fail("unknown command \(command)")
}
