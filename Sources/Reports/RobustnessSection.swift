import Foundation
import WorkbenchCore

/// The robustness section: per trained model and perturbation, how much raw bits per byte rose on
/// the perturbed evaluation documents, with its interval over seeds and against bytes only.
enum RobustnessSection {
    static let explanation =
        "Each trained model (every seed, main budget) is scored on copies of the evaluation documents with one edit applied, the same copies for every model; the cell is raw bits per byte on the perturbed text minus on the clean text (positive: the edit hurt), mean over seeds with its 95% interval, and in parentheses the seed-paired difference from the bytes-only model's change (positive: hurt more than bytes only). A deletion shortens the text, so every score is bits per byte of the text it scored."

    /// What was perturbed, from the configuration's `robust_sample_bytes` (absent in results of
    /// runs from before it was recorded: then nothing is said).
    static func sampleSentence(_ results: ComparisonResults) -> String {
        guard case .object(let config)? = results.config, case .number(let bytes)? = config["robust_sample_bytes"] else {
            return ""
        }
        if bytes <= 0 { return " The copies are of the whole evaluation split." }
        return String(
            format:
                " The copies are of a sample of at most %.0f KiB of the evaluation split (robust_sample_bytes in the configuration): from every document an equal share of whole lines around its middle.",
            bytes / 1024)
    }

    static func table(_ results: ComparisonResults, labels: ReportLabels) -> ReportTable? {
        var models: [(String, ProxyRecord)] = results.compressors.compactMap { row in
            row.proxy.map { (labels.label(row.spec), $0) }
        }
        if let baseline = results.baseline { models.append(("bytes only", baseline)) }
        models = models.filter { $0.1.robustness != nil }
        guard !models.isEmpty else { return nil }
        let perturbations = RobustnessPerturbation.allCases
        let rows = models.map { name, record -> [String] in
            [name]
                + perturbations.map { perturbation in
                    guard let cell = record.robustness?[perturbation.rawValue] else { return "–" }
                    var text = String(format: "%+.4f", cell.delta)
                    if let ci = cell.ci95 { text += String(format: " [%+.4f, %+.4f]", ci.lower, ci.upper) }
                    if let vs = cell.vsBytes { text += String(format: " (%+.4f)", vs) }
                    return text
                }
        }
        return ReportTable(
            header: ["model"] + perturbations.map(\.rawValue), numeric: [false] + perturbations.map { _ in true }, rows: rows)
    }

    static func markdown(_ results: ComparisonResults, labels: ReportLabels) -> [String] {
        guard let table = table(results, labels: labels) else { return [] }
        return ["", "## Robustness", "", explanation + sampleSentence(results), ""] + table.markdown
    }

    static func html(_ results: ComparisonResults, labels: ReportLabels) -> String {
        guard let table = table(results, labels: labels) else { return "" }
        return "<h2>Robustness</h2>" + table.html + "<p class=\"meta\">\(HTML.escape(explanation + sampleSentence(results)))</p>"
    }
}
