import Foundation
import WorkbenchCore

/// Renders `results.json` as one self-contained HTML page: no network, no scripts, inline SVG
/// charts. A pure function of the results, like `MarkdownReport`.
public enum HTMLReport {
    /// The whole page.
    public static func render(_ results: ComparisonResults) -> String {
        let corpus = results.corpus
        let labels = ReportLabels(results)
        var body = "<h1>Compressor comparison: \(e(corpus.name)), \(e(corpus.split)) split</h1>"
        body +=
            "<p class=\"meta\">\(corpus.documents) documents, \(corpus.bytes) bytes; corpus sha256 <code>\(e(String(corpus.sha256.prefix(16))))…</code>; split rule: \(e(corpus.splitRule)). Created \(e(results.createdAt)).</p>"
        if corpus.skippedBadLines > 0 {
            body += "<p class=\"warning\">Skipped bad corpus lines: \(corpus.skippedBadLines).</p>"
        }
        let summary = ResultsSummary.sentences(results, labels: labels)
        if !summary.isEmpty { body += "<p class=\"summary\">" + summary.map(e).joined(separator: " ") + "</p>" }
        body += summaryTable(results, labels: labels)
        if !labels.legend.isEmpty {
            body +=
                "<p class=\"meta\">Labels: "
                + labels.legend.map { "<code>\(e($0.label))</code> = <code>\(e($0.spec))</code>" }.joined(separator: "; ")
                + ".</p>"
        }
        body += ProxySection.html(results, labels: labels)
        body += RobustnessSection.html(results, labels: labels)
        body += ScreeningSection.html(results, labels: labels)
        body += charts(results, labels: labels)
        body += failures(results)
        body += collisionExamples(results, labels: labels)
        body += settings(results)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Compressor comparison: \(e(corpus.name))</title>
            <style>\(style)</style></head>
            <body>\(body)</body></html>

            """
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
        table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem}
        td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}.failed{color:#b00020;font-weight:bold}
        td:first-child{max-width:22rem}td code{overflow-wrap:anywhere}
        .charts{display:block}.chart{border:1px solid #ddd;width:100%;height:auto;margin:.5rem 0}
        .summary{font-size:1.05rem;background:#f5f8ff;border-left:4px solid #0072B2;padding:.6rem .8rem}
        .badge{background:#b00020;color:#fff;border-radius:.3rem;padding:0 .35rem;font-size:.75rem;font-weight:bold}
        pre{background:#f7f7f7;padding:.5rem;overflow-x:auto}.meta{color:#555}.warning{color:#b00020}
        """

    static func e(_ text: String) -> String { HTML.escape(text) }

    static func number(_ value: Double?, _ digits: Int = 3) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "–"
    }

    static func summaryTable(_ results: ComparisonResults, labels: ReportLabels) -> String {
        let baseline = results.baseline?.rawBitsPerByte
        var html =
            "<h2>Summary</h2><table><tr><th>compressor</th><th>status</th><th>alphabet</th><th>bytes/symbol</th><th>bits/raw byte</th><th>stability (delete 10%)</th><th>colliding values</th><th>proxy raw bits/byte</th><th>vs bytes only</th><th>encode MB/s</th><th>decode MB/s</th></tr>"
        for row in results.compressors {
            let stability = row.stability?[Perturbation.deleteTenPercent.rawValue]?.mean
            let collisions =
                row.collisions.map { String(format: "%.1f%%", $0.collidingValueShare * 100) }
                ?? (row.symbolUsage == nil ? "–" : "no spans")
            let proxy = row.proxy.map(ResultsSummary.value) ?? "–"
            let ratio = row.proxy.flatMap { record in baseline.map { record.rawBitsPerByte / $0 } }
            html +=
                "<tr><td><code title=\"\(e(row.spec.description))\">\(e(labels.label(row.spec)))</code>\(row.proxy?.undertrained == true ? " <span class=\"badge\">undertrained</span>" : "")</td><td class=\"\(row.status == .ok ? "" : "failed")\">\(row.status.rawValue)</td>"
            html +=
                "<td class=\"n\">\(row.rate.map { "\($0.alphabetSize)" } ?? "–")</td><td class=\"n\">\(number(row.rate?.bytesPerSymbol))</td>"
            html +=
                "<td class=\"n\">\(number(row.rate?.bitsPerRawByte))</td><td class=\"n\">\(number(stability))</td><td class=\"n\">\(collisions)</td>"
            html +=
                "<td class=\"n\">\(e(proxy))</td><td class=\"n\">\(ratio.map { String(format: "%.3fx", $0) } ?? "–")</td>"
            html +=
                "<td class=\"n\">\(ReportLabel.speed(row.speed?.encodeMBPerSecond))</td><td class=\"n\">\(ReportLabel.speed(row.speed?.decodeMBPerSecond))</td></tr>"
        }
        if let baselineRecord = results.baseline {
            html +=
                "<tr><td><em>bytes only (baseline model)</em></td><td></td><td class=\"n\">256</td><td class=\"n\">1.000</td><td class=\"n\">8.000</td><td></td><td></td><td class=\"n\">\(e(ResultsSummary.value(baselineRecord)))</td><td class=\"n\">1.000x</td><td></td><td></td></tr>"
        }
        html += "</table>"
        html +=
            "<p class=\"meta\">bytes/symbol = raw bytes / symbols; bits/raw byte = symbols × log2(alphabet) / raw bytes; stability = normalized edit distance between the encodings of a document and of a copy with 10% of characters deleted (0 = unchanged); colliding values = share of symbol values that stood for two or more raw strings; proxy raw bits/byte = a model trained on the raw/compressed mix at the same FLOPs budget, evaluated on raw bytes only.</p>"
        let notes = CollisionNotes.rows(results, labels: labels)
        if !notes.isEmpty {
            html +=
                "<ul class=\"meta\">" + notes.map { "<li><code>\(e($0.label))</code>: \(e($0.note)).</li>" }.joined() + "</ul>"
        }
        return html
    }

    static func charts(_ results: ComparisonResults, labels: ReportLabels) -> String {
        let rows = results.compressors
        var html = "<h2>Charts</h2><div class=\"charts\">"
        var models: [(name: String, record: ProxyRecord)] = rows.compactMap { row in
            row.proxy.map { (labels.label(row.spec), $0) }
        }
        if let baseline = results.baseline { models.append(("bytes only", baseline)) }
        models += (results.trainedElsewhere ?? []).map { (ReportLabel.spec($0.label), $0.proxy) }
        if !models.isEmpty {
            html += SVGChart.barsWithIntervals(
                title: "Raw bits per byte of each model (mean over seeds, 95% interval)", labels: models.map(\.name),
                estimates: models.map {
                    ($0.record.rawBitsPerByte, $0.record.rawBitsPerByteCI95?.lower, $0.record.rawBitsPerByteCI95?.upper)
                },
                yLabel: "raw bits / byte")
        }
        if models.contains(where: { ($0.record.sweep?.count ?? 0) > 1 }) {
            let crossings = models.compactMap { $0.record.crossoverFLOPs?.estimate }
            let largest = models.compactMap { $0.record.sweep?.last?.budgetFLOPs }.max() ?? 0
            html += SVGChart.sweep(
                title: "Compute sweep: raw bits per byte against FLOPs (fitted power laws; dashed = extrapolated)",
                series: models.map { model in
                    (
                        model.name,
                        (model.record.sweep ?? []).map { ($0.budgetFLOPs, ($0.mean, $0.ci95?.lower, $0.ci95?.upper)) },
                        model.record.fit.map { ($0.a, $0.alpha) }
                    )
                },
                extendTo: crossings.max().map { min(max($0, largest), largest * 1e4) }, xLabel: "training FLOPs (log scale)",
                yLabel: "raw bits / byte")
        }
        html += SVGChart.bars(
            title: "Bytes per symbol", labels: rows.map { labels.label($0.spec) }, values: rows.map { $0.rate?.bytesPerSymbol },
            yLabel: "raw bytes / symbol")
        let curves = models.map { model in (model.name, model.record.curve.map { ($0.flops, $0.rawBitsPerByte) }) }
        if !curves.isEmpty {
            html += SVGChart.lines(
                title: "Training curves: raw bits per byte against FLOPs (first seed, main budget)", series: curves,
                xLabel: "training FLOPs (log scale)", yLabel: "raw bits / byte")
        }
        let statRows = rows.filter { $0.stability != nil }
        if !statRows.isEmpty {
            let perturbations = Perturbation.allCases
            html += SVGChart.grouped(
                title: "Stability: normalized edit distance (lower is stabler)", groups: perturbations.map(\.rawValue),
                series: statRows.map { row in (labels.label(row.spec), perturbations.map { row.stability?[$0.rawValue]?.mean }) },
                yLabel: "normalized edit distance")
        }
        let collisionRows = rows.filter { $0.collisions != nil }
        if !collisionRows.isEmpty {
            html += SVGChart.grouped(
                title: "Distinct raw strings per symbol value", groups: CollisionStatistics.histogramBuckets,
                series: collisionRows.map { row in
                    (labels.label(row.spec), (row.collisions?.stringsPerValueHistogram ?? []).map { Double($0) })
                },
                yLabel: "symbol values")
        }
        return html + "</div>"
    }

    static func failures(_ results: ComparisonResults) -> String {
        let failed = results.compressors.filter { $0.status == .failed }
        guard !failed.isEmpty else { return "" }
        return "<h2>Failures</h2><ul>"
            + failed.map { "<li><code>\(e($0.spec.description))</code>: \(e($0.error ?? "unknown error"))</li>" }.joined()
            + "</ul>"
    }

    static func collisionExamples(_ results: ComparisonResults, labels: ReportLabels) -> String {
        let rows = results.compressors.filter { ($0.collisions?.collidingValues ?? 0) > 0 }
        guard !rows.isEmpty else { return "" }
        var html =
            "<h2>Collision examples</h2><p class=\"meta\">Whitespace made visible: space ·, newline ↵, tab →, other bytes \\xNN.</p>"
        for row in rows {
            guard let collisions = row.collisions else { continue }
            html += "<h3><code>\(e(labels.label(row.spec)))</code></h3>"
            for (key, title) in [
                ("largest", "largest group"), ("smallest", "smallest group"), ("highest_common_prefix", "highest common prefix"),
                ("lowest_common_prefix", "lowest common prefix"),
            ] {
                guard let group = collisions.examples[key] else { continue }
                html +=
                    "<p>\(title): symbol \(group.symbol), \(group.distinctStrings) strings, common prefix \(group.commonPrefixBytes) B (\(String(format: "%.1f%%", group.commonPrefixShare * 100)))</p><pre>"
                html += group.strings.map { e(VisibleText.render($0)) }.joined(separator: "\n") + "</pre>"
            }
        }
        return html
    }

    static func settings(_ results: ComparisonResults) -> String {
        var html = ""
        for (title, value) in [("Configuration", results.config), ("Environment", results.environment)] {
            guard let value else { continue }
            html +=
                "<h2>\(title)</h2><table>"
                + value.flattened().map { "<tr><th>\(e($0.0))</th><td><code>\(e($0.1))</code></td></tr>" }.joined() + "</table>"
        }
        return html
    }
}
