import Foundation
import WorkbenchCore

/// The proxy-training section of the reports: one row per trained model (each compressor's
/// proxy and the bytes-only baseline) with its view, steps, raw-byte loss over seeds and its
/// seed-paired difference from the baseline; then the sweep over budgets when there is one.
enum ProxySection {
    /// A row: label, record, whether it is the baseline.
    static func rows(
        _ results: ComparisonResults, labels: ReportLabels
    ) -> [(label: String, record: ProxyRecord, isBaseline: Bool)] {
        var rows = results.compressors.compactMap { row in row.proxy.map { (labels.label(row.spec), $0, false) } }
        if let record = results.baseline { rows.append(("bytes only (baseline)", record, true)) }
        for external in results.trainedElsewhere ?? [] {
            rows.append((ReportLabel.spec(external.label), external.proxy, external.isBaseline))
        }
        return rows
    }

    /// How rows trained elsewhere are compared, when there are any.
    static func elsewhereNote(_ results: ComparisonResults) -> String? {
        guard !(results.trainedElsewhere ?? []).isEmpty else { return nil }
        return
            "Rows with a trainer in brackets were trained elsewhere and added with workbench report --add-run; each proxy among them is compared with the bytes-only model of the same trainer when one was added (never with this comparison's baseline, trained at another scale)."
    }

    static func explanation(_ results: ComparisonResults) -> String {
        let seeds = results.baseline?.seeds?.count ?? 1
        return
            "Each model is trained on the train split on the raw/compressed mix (rate r of documents compressed after a warm-up; r = 0 for the baseline) at the same FLOPs budget, once per seed (\(seeds) seed\(seeds == 1 ? "" : "s"); the baseline and every proxy share seeds and data order), and evaluated on the raw bytes of the measured split only: raw bits per byte, lower is better, mean over seeds with its 95% Student-t interval. \"vs bytes only\" is the seed-paired difference from the byte model (positive: worse), with its interval; an interval that contains 0 means the difference is inside the seed-to-seed noise. \"view\" says how compressed symbols were tokens: ids (one per symbol) or bytes (wide alphabets as byte sub-tokens)."
    }

    static func estimate(_ record: ProxyRecord) -> String {
        ResultsSummary.value(record)
    }

    static func difference(_ record: ProxyRecord, isBaseline: Bool) -> String {
        if isBaseline { return "–" }
        guard let vs = record.vsBaseline else { return "–" }
        let text =
            vs.ci95.map { String(format: "%+.3f [%+.3f, %+.3f]", vs.difference, $0.lower, $0.upper) }
            ?? String(format: "%+.3f", vs.difference)
        return text + (vs.insideNoise ? " (inside the noise)" : "")
    }

    static func markdown(_ results: ComparisonResults, labels: ReportLabels) -> [String] {
        let rows = rows(results, labels: labels)
        guard !rows.isEmpty else { return [] }
        var lines = ["", "## Proxy training", "", explanation(results), ""]
        if let note = elsewhereNote(results) { lines += [note, ""] }
        lines.append(
            "| model | view | rate r | mode after warm-up | steps | training FLOPs | raw bits/byte [95% CI] | vs bytes only [95% CI] |"
        )
        lines.append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |")
        for row in rows {
            var name = row.isBaseline ? "*\(row.label)*" : "`\(row.label)`"
            if row.record.undertrained == true { name += " **UNDERTRAINED**" }
            lines.append(
                "| \(name) | \(row.record.compressedView ?? "–") | \(String(format: "%.2f", row.record.rate)) | \(row.record.mode) | \(row.record.steps) | \(String(format: "%.3g", row.record.flops)) | \(estimate(row.record)) | \(difference(row.record, isBaseline: row.isBaseline)) |"
            )
        }
        let flagged = rows.filter { $0.record.undertrained == true }
        if !flagged.isEmpty {
            lines.append("")
            for row in flagged {
                lines.append("- **\(row.label) is undertrained**: \(row.record.undertrainedReason ?? "too few steps").")
            }
        }
        let views = rows.filter { !$0.isBaseline && $0.record.compressedViewReason != nil }
        if !views.isEmpty {
            lines.append("")
            lines.append(
                "Views: "
                    + views.map { "`\($0.label)` \($0.record.compressedView ?? "") (\($0.record.compressedViewReason ?? ""))" }
                    .joined(separator: "; ") + ".")
        }
        lines += sweepMarkdown(rows)
        return lines
    }

    static let sweepNote =
        "Each budget is a separate run with its own learning-rate schedule. Fit: L(C) = a * C^-alpha by least squares on log-log (residual = RMS of ln L). The crossover is where a proxy's fitted line meets the bytes-only line: an extrapolation beyond the measured budgets, not a measurement, with a bootstrap interval over seeds."

    /// The sweep table, nil when every model ran one budget.
    static func sweepTable(_ rows: [(label: String, record: ProxyRecord, isBaseline: Bool)]) -> ReportTable? {
        guard rows.contains(where: { ($0.record.sweep?.count ?? 0) > 1 }) else { return nil }
        let budgets = Array(Set(rows.flatMap { $0.record.sweep?.map(\.budgetFLOPs) ?? [] })).sorted()
        let header =
            ["model"] + budgets.map { String(format: "%.3g FLOPs", $0) } + ["fit a", "alpha", "residual", "crossover FLOPs"]
        let body = rows.map { row -> [String] in
            let cells = budgets.map { budget -> String in
                guard let point = row.record.sweep?.first(where: { $0.budgetFLOPs == budget }) else { return "–" }
                let interval = point.ci95.map { String(format: " [%.3f, %.3f]", $0.lower, $0.upper) } ?? ""
                return String(format: "%.3f", point.mean) + interval + " (\(point.steps) steps)"
            }
            let fit = row.record.fit
            return [row.label] + cells + [
                fit.map { String(format: "%.3g", $0.a) } ?? "–", fit.map { String(format: "%.4f", $0.alpha) } ?? "–",
                fit.map { String(format: "%.3g", $0.residual) } ?? "–", crossover(row.record, isBaseline: row.isBaseline),
            ]
        }
        return ReportTable(header: header, numeric: [false] + Array(repeating: true, count: header.count - 1), rows: body)
    }

    static func sweepMarkdown(_ rows: [(label: String, record: ProxyRecord, isBaseline: Bool)]) -> [String] {
        guard let table = sweepTable(rows) else { return [] }
        return ["", "### Compute sweep", "", sweepNote, ""] + table.markdown
    }

    static func crossover(_ record: ProxyRecord, isBaseline: Bool) -> String {
        if isBaseline { return "–" }
        guard let crossing = record.crossoverFLOPs else {
            return record.fit == nil ? "–" : "none (lines do not meet above the smallest budget)"
        }
        let interval =
            crossing.confidenceInterval95.map { String(format: " [%.2g, %.2g]", $0.lower, $0.upper) } ?? " (interval undefined)"
        return String(format: "%.2g", crossing.estimate) + interval + " (extrapolated)"
    }

    static func html(_ results: ComparisonResults, labels: ReportLabels) -> String {
        let rows = rows(results, labels: labels)
        guard !rows.isEmpty else { return "" }
        var html =
            "<h2>Proxy training</h2><table><tr><th>model</th><th>view</th><th>rate r</th><th>mode after warm-up</th><th>steps</th><th>training FLOPs</th><th>raw bits/byte [95% CI]</th><th>vs bytes only [95% CI]</th></tr>"
        for row in rows {
            var name = row.isBaseline ? "<em>\(HTML.escape(row.label))</em>" : "<code>\(HTML.escape(row.label))</code>"
            if row.record.undertrained == true {
                name += " <span class=\"badge\" title=\"\(HTML.escape(row.record.undertrainedReason ?? ""))\">undertrained</span>"
            }
            html += "<tr><td>\(name)</td><td>\(HTML.escape(row.record.compressedView ?? "–"))</td>"
            html += "<td class=\"n\">\(String(format: "%.2f", row.record.rate))</td><td>\(HTML.escape(row.record.mode))</td>"
            html += "<td class=\"n\">\(row.record.steps)</td><td class=\"n\">\(String(format: "%.3g", row.record.flops))</td>"
            html += "<td class=\"n\">\(HTML.escape(estimate(row.record)))</td>"
            html += "<td class=\"n\">\(HTML.escape(difference(row.record, isBaseline: row.isBaseline)))</td></tr>"
        }
        html += "</table><p class=\"meta\">\(HTML.escape(explanation(results)))</p>"
        if let note = elsewhereNote(results) { html += "<p class=\"meta\">\(HTML.escape(note))</p>" }
        let flagged = rows.filter { $0.record.undertrained == true }
        if !flagged.isEmpty {
            html +=
                "<ul class=\"warning\">"
                + flagged.map {
                    "<li><strong>\(HTML.escape($0.label)) is undertrained</strong>: \(HTML.escape($0.record.undertrainedReason ?? "too few steps")).</li>"
                }.joined()
                + "</ul>"
        }
        let views = rows.filter { !$0.isBaseline && $0.record.compressedViewReason != nil }
        if !views.isEmpty {
            html +=
                "<p class=\"meta\">Views: "
                + views.map {
                    "<code>\(HTML.escape($0.label))</code> \(HTML.escape($0.record.compressedView ?? "")) (\(HTML.escape($0.record.compressedViewReason ?? "")))"
                }.joined(separator: "; ")
                + ".</p>"
        }
        if let table = sweepTable(rows) {
            html += "<h3>Compute sweep</h3><p class=\"meta\">\(HTML.escape(sweepNote))</p>" + table.html
        }
        return html
    }
}
