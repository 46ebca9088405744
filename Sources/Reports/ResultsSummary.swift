import Foundation
import WorkbenchCore

/// The three sentences at the top of a report: the ranking with intervals, what is inside the
/// seed-to-seed noise, and which rows are undertrained. Computed from results.json alone.
enum ResultsSummary {
    /// The sentences (empty when no model was trained).
    static func sentences(_ results: ComparisonResults, labels: ReportLabels) -> [String] {
        var models: [(label: String, record: ProxyRecord)] = results.compressors.compactMap { row in
            row.proxy.map { (labels.label(row.spec), $0) }
        }
        if let baseline = results.baseline { models.append(("bytes only", baseline)) }
        guard !models.isEmpty else { return [] }
        let ranked = models.sorted { $0.record.rawBitsPerByte < $1.record.rawBitsPerByte }
        let reference = ranked[0].record
        let seeds = reference.seeds?.count ?? 1
        let budget = reference.sweep?.last?.budgetFLOPs ?? reference.flops
        let ranking = ranked.map { "\($0.label) \(Self.value($0.record))" }.joined(separator: " < ")
        var sentences = [
            "Raw bits per byte at \(String(format: "%.3g", budget)) FLOPs (mean over \(seeds) seed\(seeds == 1 ? "" : "s"), 95% interval; lower is better): \(ranking)."
        ]
        sentences.append(noise(ranked, baseline: results.baseline))
        let undertrained = models.filter { $0.record.undertrained == true }
        if undertrained.isEmpty {
            sentences.append("No model is undertrained: every run reached the minimum steps.")
        } else {
            sentences.append(
                "Undertrained (read their numbers as the cost of the setting, not the compressor): "
                    + undertrained.map { "\($0.label) (\($0.record.undertrainedReason ?? "too few steps"))" }.joined(
                        separator: "; ")
                    + ".")
        }
        return sentences
    }

    /// "3.26 [3.01, 3.51]", or the bare mean for one seed.
    static func value(_ record: ProxyRecord) -> String {
        guard let interval = record.rawBitsPerByteCI95 else { return String(format: "%.3f", record.rawBitsPerByte) }
        return String(format: "%.3f [%.3f, %.3f]", record.rawBitsPerByte, interval.lower, interval.upper)
    }

    private static func noise(_ ranked: [(label: String, record: ProxyRecord)], baseline: ProxyRecord?) -> String {
        let proxies = ranked.filter { $0.record.vsBaseline != nil }
        guard baseline != nil, !proxies.isEmpty else {
            return "With one seed there is no interval: no difference can be told from noise; run --seeds 3 or more."
        }
        let outside = proxies.filter { !($0.record.vsBaseline?.insideNoise ?? true) }
        let inside = proxies.filter { $0.record.vsBaseline?.insideNoise ?? true }
        var parts: [String] = []
        if !outside.isEmpty {
            parts.append(
                "differs from bytes only beyond the noise (seed-paired difference, 95% interval): "
                    + outside.map { "\($0.label) \(difference($0.record))" }.joined(separator: ", "))
        }
        if !inside.isEmpty {
            parts.append(
                "inside the noise of bytes only: " + inside.map { "\($0.label) \(difference($0.record))" }.joined(separator: ", ")
            )
        }
        // Adjacent proxies whose intervals overlap cannot be ordered at this many seeds.
        var ties: [String] = []
        for (a, b) in zip(proxies, proxies.dropFirst()) {
            if let x = a.record.rawBitsPerByteCI95, let y = b.record.rawBitsPerByteCI95, x.upper >= y.lower {
                ties.append("\(a.label) and \(b.label)")
            }
        }
        if !ties.isEmpty {
            parts.append("intervals overlap, so their order is inside the noise: " + ties.joined(separator: "; "))
        }
        let text = parts.joined(separator: "; ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    private static func difference(_ record: ProxyRecord) -> String {
        guard let vs = record.vsBaseline else { return "" }
        guard let interval = vs.ci95 else { return String(format: "%+.3f", vs.difference) }
        return String(format: "%+.3f [%+.3f, %+.3f]", vs.difference, interval.lower, interval.upper)
    }
}
