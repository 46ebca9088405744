import WorkbenchCore

/// The command line of `external-bench`; see the comment at the top of main.swift.
struct Arguments {
    var corpus = "corpora/cpython-stdlib.jsonl"
    var manifest = "plugins/external/xz-python/plugin.json"
    var options: [String: String] = [:]
    var mode = HostMode.batched
    /// Timed steps: each times one host pass and one direct pass, next to each other.
    var steps = 15
    /// The direct side's worker command (everything after `--`).
    var direct: [String] = []

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
            case "--mode":
                let name = try value()
                guard let parsed = HostMode(rawValue: name) else {
                    throw WorkbenchError("--mode is batched or per-document, not '\(name)'")
                }
                mode = parsed
            case "--steps":
                guard let count = Int(try value()), count >= 1 else { throw WorkbenchError("--steps is a whole number from 1") }
                steps = count
            case "--":
                direct = Array(list[(index + 1)...])
                index = list.count
                continue
            default: throw WorkbenchError("unknown argument \(list[index]); see the comment at the top of main.swift")
            }
            index += 1
        }
        guard !direct.isEmpty else {
            throw WorkbenchError(
                "give the direct side's worker after --, e.g. -- python3 Benchmarks/external/direct.py --serve ...")
        }
    }
}
