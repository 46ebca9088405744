import Foundation
import WorkbenchCore

/// Renders `results.json` as Markdown: a pure function of the results, so any old run can be
/// redrawn with `workbench report`.
public enum MarkdownReport {
    /// The whole report.
    public static func render(_ results: ComparisonResults) -> String {
        var lines: [String] = []
        let corpus = results.corpus
        let labels = ReportLabels(results)
        lines.append("# Compressor comparison: \(corpus.name), \(corpus.split) split")
        lines.append("")
        lines.append(
            "\(corpus.documents) documents, \(corpus.bytes) bytes (corpus sha256 `\(corpus.sha256.prefix(16))…`, split rule: \(corpus.splitRule)). Created \(results.createdAt)."
        )
        if corpus.skippedBadLines > 0 {
            lines.append("")
            lines.append("**Skipped bad corpus lines: \(corpus.skippedBadLines)** (listed in the log of the run).")
        }
        let summary = ResultsSummary.sentences(results, labels: labels)
        if !summary.isEmpty {
            lines.append("")
            lines.append("**Summary.** " + summary.joined(separator: " "))
        }
        if !labels.legend.isEmpty {
            lines.append("")
            lines.append("Labels: " + labels.legend.map { "`\($0.label)` = `\($0.spec)`" }.joined(separator: "; ") + ".")
        }
        lines.append("")
        lines.append("## Rate, round trip and speed")
        lines.append("")
        lines.append(
            "| compressor | status | alphabet | bytes/symbol | bits/raw byte | serialized bits/byte | ratio | round trip | encode MB/s | decode MB/s |"
        )
        lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
        for row in results.compressors {
            let rate = row.rate
            let roundTrip = row.roundTrip.map { $0.failures == 0 ? "ok (\($0.documents))" : "**\($0.failures) failed**" } ?? "–"
            lines.append(
                "| `\(labels.label(row.spec))` | \(row.status == .ok ? "ok" : "**failed**") | \(rate.map { "\($0.alphabetSize)" } ?? "–") | \(format(rate?.bytesPerSymbol)) | \(format(rate?.bitsPerRawByte)) | \(format(rate?.serializedBitsPerRawByte)) | \(rate?.compressionRatio.map { format($0, digits: 2) + "x" } ?? "–") | \(roundTrip) | \(ReportLabel.speed(row.speed?.encodeMBPerSecond)) | \(ReportLabel.speed(row.speed?.decodeMBPerSecond)) |"
            )
        }
        lines.append("")
        lines.append(
            "bytes/symbol = raw bytes / symbols; bits/raw byte = symbols x log2(alphabet) / raw bytes; serialized = symbols packed at ceil(log2(alphabet)) bits (the native output for byte-valued compressors); speed = median of \(results.compressors.compactMap(\.speed).first?.passes ?? 0) passes, one thread."
        )

        lines += statisticsSection(results, labels: labels)
        lines += ProxySection.markdown(results, labels: labels)
        lines += RobustnessSection.markdown(results, labels: labels)
        lines += ScreeningSection.markdown(results)

        let failures = results.compressors.filter { $0.status == .failed }
        if !failures.isEmpty {
            lines.append("")
            lines.append("## Failures")
            lines.append("")
            for row in failures { lines.append("- `\(labels.label(row.spec))`: \(row.error ?? "unknown error")") }
        }

        lines.append("")
        lines.append("## Compressors")
        lines.append("")
        for row in results.compressors {
            guard let descriptor = row.descriptor else {
                lines.append("- `\(row.spec)`: not built")
                continue
            }
            var line = "- `\(row.spec)`: \(descriptor.displayName)"
            if let library = descriptor.libraryName { line += ", \(library) \(descriptor.libraryVersion ?? "unknown")" }
            line += ", alphabet \(descriptor.alphabetSize)"
            if descriptor.passesRawBytesThrough { line += ", passes raw bytes through" }
            line += descriptor.givesSpans ? ", gives spans" : ", no spans"
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Symbol usage, collisions and stability, when the stats stage ran.
    static func statisticsSection(_ results: ComparisonResults, labels: ReportLabels) -> [String] {
        let rows = results.compressors.filter { $0.symbolUsage != nil || $0.stability != nil }
        guard !rows.isEmpty else { return [] }
        var lines = ["", "## Symbol statistics", ""]
        lines.append(
            "| compressor | values used | entropy bits/symbol | normalized entropy | colliding values | colliding occurrences | mean common prefix |"
        )
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for row in rows {
            let usage = row.symbolUsage
            let collisions = row.collisions
            lines.append(
                "| `\(labels.label(row.spec))` | \(usage.map { "\($0.valuesUsed) / \($0.alphabetSize)" } ?? "–") | \(format(usage?.entropyBits)) | \(format(usage?.normalizedEntropy)) | \(collisions.map { percent($0.collidingValueShare) } ?? "no spans") | \(collisions.map { percent($0.collidingOccurrenceShare) } ?? "–") | \(collisions?.meanCommonPrefixBytes.map { String(format: "%.1f B", $0) } ?? "–") |"
            )
        }
        lines.append("")
        lines.append(
            "Colliding: a symbol value that stood for two or more distinct raw strings across the split (single-symbol spans only). Mean common prefix: over colliding values."
        )
        let notes = CollisionNotes.rows(results, labels: labels)
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "- `\($0.label)`: \($0.note)." }
        }

        let perturbations = Perturbation.allCases.map(\.rawValue)
        lines += ["", "### Stability", ""]
        if let stages = results.stages, let seed = stages.stabilitySeed {
            lines.append(
                "Normalized edit distance between the encodings of a document and of a perturbed copy (0 = unchanged, 1 = nothing shared); mean ± standard deviation over \(stages.stabilityDocuments ?? 0) documents (first \(stages.stabilityMaxBytes ?? 0) bytes each), seed \(seed)."
            )
            lines.append("")
        }
        lines.append("| compressor | " + Perturbation.allCases.map(\.summary).joined(separator: " | ") + " |")
        lines.append("| --- |" + String(repeating: " ---: |", count: perturbations.count))
        for row in rows {
            let cells = perturbations.map { name -> String in
                guard let summary = row.stability?[name] else { return "–" }
                return String(format: "%.3f ± %.3f", summary.mean, summary.standardDeviation)
            }
            lines.append("| `\(labels.label(row.spec))` | " + cells.joined(separator: " | ") + " |")
        }

        let examples = rows.filter { ($0.collisions?.collidingValues ?? 0) > 0 }
        if !examples.isEmpty {
            lines += [
                "", "### Collision examples", "",
                "Whitespace made visible: space `·`, newline `↵`, tab `→`, other bytes `\\xNN`.", "",
            ]
            for row in examples {
                guard let collisions = row.collisions else { continue }
                lines.append("**`\(labels.label(row.spec))`**")
                lines.append("")
                lines.append("```")
                for (key, title) in [
                    ("largest", "largest group"), ("smallest", "smallest group"),
                    ("highest_common_prefix", "highest common prefix"), ("lowest_common_prefix", "lowest common prefix"),
                ] {
                    guard let group = collisions.examples[key] else { continue }
                    lines.append(
                        "\(title): symbol \(group.symbol), \(group.distinctStrings) strings, common prefix \(group.commonPrefixBytes) B (\(percent(group.commonPrefixShare)))"
                    )
                    for string in group.strings { lines.append("    \(VisibleText.render(string))") }
                }
                lines.append("```")
                lines.append("")
            }
        }
        return lines
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// Fixed-precision number, or an en dash when absent.
    static func format(_ value: Double?, digits: Int = 3) -> String {
        guard let value else { return "–" }
        return String(format: "%.\(digits)f", value)
    }
}
