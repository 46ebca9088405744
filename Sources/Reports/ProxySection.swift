import WorkbenchCore

/// The proxy-training section of the reports: one row per trained model (each compressor's
/// proxy and the bytes-only baseline) with its budget, throughput and raw-byte loss.
enum ProxySection {
    /// A row: label, record, ratio to the baseline.
    static func rows(_ results: ComparisonResults) -> [(label: String, record: ProxyRecord, ratio: Double?, isBaseline: Bool)] {
        let baseline = results.baseline?.rawBitsPerByte
        var rows = results.compressors.compactMap { row in
            row.proxy.map { record in
                (ReportLabel.spec(row.spec.description), record, baseline.map { record.rawBitsPerByte / $0 }, false)
            }
        }
        if let record = results.baseline { rows.append(("bytes only (baseline)", record, 1, true)) }
        return rows
    }

    static let explanation =
        "Each model is trained on the train split at the same FLOPs budget, on the raw/compressed mix (rate r of documents compressed after a warm-up; r = 0 for the baseline), and evaluated on the raw bytes of the measured split only: raw bits per byte, lower is better; \"vs bytes only\" above 1 means the proxy did worse than the byte model at this budget. The curve of each model is in results.json and in the HTML report's chart."

    static func markdown(_ results: ComparisonResults) -> [String] {
        let rows = rows(results)
        guard !rows.isEmpty else { return [] }
        var lines = ["", "## Proxy training", "", explanation, ""]
        lines.append(
            "| model | rate r | mode after warm-up | steps | training FLOPs | tokens/s | raw bits/byte | vs bytes only |")
        lines.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
        for row in rows {
            let name = row.isBaseline ? "*\(row.label)*" : "`\(row.label)`"
            lines.append(
                "| \(name) | \(String(format: "%.2f", row.record.rate)) | \(row.record.mode) | \(row.record.steps) | \(String(format: "%.3g", row.record.flops)) | \(String(format: "%.0f", row.record.tokensPerSecond)) | \(String(format: "%.4f", row.record.rawBitsPerByte)) | \(row.ratio.map { String(format: "%.3fx", $0) } ?? "–") |"
            )
        }
        return lines
    }

    static func html(_ results: ComparisonResults) -> String {
        let rows = rows(results)
        guard !rows.isEmpty else { return "" }
        var html =
            "<h2>Proxy training</h2><table><tr><th>model</th><th>rate r</th><th>mode after warm-up</th><th>steps</th><th>training FLOPs</th><th>tokens/s</th><th>raw bits/byte</th><th>vs bytes only</th></tr>"
        for row in rows {
            let name = row.isBaseline ? "<em>\(HTML.escape(row.label))</em>" : "<code>\(HTML.escape(row.label))</code>"
            html +=
                "<tr><td>\(name)</td><td class=\"n\">\(String(format: "%.2f", row.record.rate))</td><td>\(HTML.escape(row.record.mode))</td>"
            html += "<td class=\"n\">\(row.record.steps)</td><td class=\"n\">\(String(format: "%.3g", row.record.flops))</td>"
            html +=
                "<td class=\"n\">\(String(format: "%.0f", row.record.tokensPerSecond))</td><td class=\"n\">\(String(format: "%.4f", row.record.rawBitsPerByte))</td>"
            html += "<td class=\"n\">\(row.ratio.map { String(format: "%.3fx", $0) } ?? "–")</td></tr>"
        }
        return html + "</table><p class=\"meta\">\(HTML.escape(explanation))</p>"
    }
}
