import Foundation
import WorkbenchCore

/// The screening section: which cheap statistic ranks the compressors as their proxy's gap to
/// bytes only does (Spearman's rho, its bootstrap interval and permutation p-value), or why the
/// section is absent.
enum ScreeningSection {
    static let explanation =
        "Spearman's rank correlation of each statistic with the proxy's seed-paired gap to bytes only (raw bits per byte, mean over seeds), over the trained compressors; 95% interval by resampling the compressors, two-sided p-value from every pairing of the ranks (exact up to 8 compressors, else 20,000 random pairings). With this few compressors, a large |rho| can arise by chance: read the p-value, and treat the table as a screen to try on more compressors, not as a finding."

    static func table(_ records: [ScreeningRecord]) -> ReportTable {
        let rows = records.map { record -> [String] in
            let c = record.correlation
            return [
                record.statistic, c.rho.map { String(format: "%+.3f", $0) } ?? "–",
                c.confidenceInterval95.map { String(format: "[%+.2f, %+.2f]", $0.lower, $0.upper) } ?? "–",
                c.pValue.map { String(format: "%.3g%@", $0, c.exact ? "" : " (est.)") } ?? "–", "\(c.n)",
            ]
        }
        return ReportTable(
            header: ["statistic", "rho", "95% CI", "p", "n"], numeric: [false, true, true, true, true], rows: rows)
    }

    static func markdown(_ results: ComparisonResults) -> [String] {
        if let note = results.screeningNote, results.screening?.isEmpty ?? true {
            return ["", "## Screening", "", "Not computed: \(note)."]
        }
        guard let records = results.screening, !records.isEmpty else { return [] }
        return ["", "## Screening", "", explanation, ""] + table(records).markdown
    }

    static func html(_ results: ComparisonResults, labels: ReportLabels) -> String {
        if let note = results.screeningNote, results.screening?.isEmpty ?? true {
            return "<h2>Screening</h2><p class=\"meta\">Not computed: \(HTML.escape(note)).</p>"
        }
        guard let records = results.screening, !records.isEmpty else { return "" }
        var html =
            "<h2>Screening</h2>" + table(records).html + "<p class=\"meta\">\(HTML.escape(explanation))</p><div class=\"charts\">"
        for record in records.prefix(3) {
            html += SVGChart.scatter(
                title: String(
                    format: "%@ against the gap to bytes only (rho %+.2f)", record.statistic, record.correlation.rho ?? 0),
                points: record.points.map { point in
                    (
                        labels.label(spec: point.spec), point.statistic,
                        (point.gap, point.gapCI95?.lower, point.gapCI95?.upper)
                    )
                }, xLabel: record.statistic, yLabel: "proxy - bytes only (raw bits/byte)")
        }
        return html + "</div>"
    }
}
