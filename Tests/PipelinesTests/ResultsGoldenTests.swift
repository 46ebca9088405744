import Builtins
import Foundation
import Pipelines
import ProxyTrainer
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// A small deterministic comparison's results.json against a golden file: every documented field
/// present, rates and statistics exact. What depends on the machine (timings, environment, paths)
/// and what training computes through OpenBLAS (whose bits depend on the CPU kernel) is replaced
/// by a placeholder of its kind, so the golden pins the schema and the measured values.
@Suite struct ResultsGoldenTests {
    @Test func aSmallComparisonMatchesTheGoldenResults() throws {
        let corpus = try ComparisonTests.corpus()
        let directory = try TestEnvironment.temporaryDirectory(prefix: "golden-results")
        var plan = try ComparisonTests.plan(
            corpus: corpus, directory: directory, stages: [.rate, .stats, .train], specs: ["bytes", "nibbles", "zstd:level=3"])
        plan.arguments = ["compare", "(golden test)"]
        _ = try Comparison(
            plan: plan, registry: Builtins.registry, measure: MeasuringChild.inProcess(registry: Builtins.registry)
        ).run()
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/results.json"))
        let normalized = Self.normalize(try JSONSerialization.jsonObject(with: data), path: [])
        let text = String(
            decoding: try JSONSerialization.data(withJSONObject: normalized, options: [.prettyPrinted, .sortedKeys]),
            as: UTF8.self)
        try GoldenFile.check(text + "\n", named: "results.json")
    }

    /// Replaces machine- and kernel-dependent values by placeholders.
    static func normalize(_ value: Any, path: [String]) -> Any {
        let key = path.last ?? ""
        if let object = value as? [String: Any] {
            if key == "environment" { return "<environment>" }
            var result: [String: Any] = [:]
            for (name, child) in object { result[name] = normalize(child, path: path + [name]) }
            return result
        }
        if let array = value as? [Any] {
            return array.map { normalize($0, path: path + [key]) }
        }
        let trained = path.contains("proxy") || path.contains("baseline")
        switch key {
        case "created_at": return "<time>"
        case "path" where path == ["corpus", "path"], "corpus" where path == ["config", "corpus"]: return "<corpus path>"
        case "encode_mb_per_s", "decode_mb_per_s", "encode_seconds", "decode_seconds", "tokens_per_second": return "<timing>"
        default: break
        }
        // A trained number with a fraction (losses, fits, intervals): integers (steps, seeds) stay.
        if trained, let number = value as? NSNumber, String(cString: number.objCType) == "d" {
            return "<trained>"
        }
        return value
    }
}
