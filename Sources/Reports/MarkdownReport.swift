import Foundation
import WorkbenchCore

/// Renders `results.json` as Markdown: a pure function of the results, so any old run can be
/// redrawn with `workbench report`.
public enum MarkdownReport {
    /// The whole report.
    public static func render(_ results: ComparisonResults) -> String {
        var lines: [String] = []
        let corpus = results.corpus
        lines.append("# Compressor comparison: \(corpus.name), \(corpus.split) split")
        lines.append("")
        lines.append(
            "\(corpus.documents) documents, \(corpus.bytes) bytes (corpus sha256 `\(corpus.sha256.prefix(16))…`, split rule: \(corpus.splitRule)). Created \(results.createdAt).")
        if corpus.skippedBadLines > 0 {
            lines.append("")
            lines.append("**Skipped bad corpus lines: \(corpus.skippedBadLines)** (listed in the log of the run).")
        }
        lines.append("")
        lines.append("## Rate, round trip and speed")
        lines.append("")
        lines.append(
            "| compressor | status | alphabet | bytes/symbol | bits/raw byte | serialized bits/byte | ratio | round trip | encode MB/s | decode MB/s |")
        lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
        for row in results.compressors {
            let rate = row.rate
            let roundTrip = row.roundTrip.map { $0.failures == 0 ? "ok (\($0.documents))" : "**\($0.failures) failed**" } ?? "–"
            lines.append(
                "| `\(row.spec)` | \(row.status == .ok ? "ok" : "**failed**") | \(rate.map { "\($0.alphabetSize)" } ?? "–") | \(format(rate?.bytesPerSymbol)) | \(format(rate?.bitsPerRawByte)) | \(format(rate?.serializedBitsPerRawByte)) | \(rate?.compressionRatio.map { format($0, digits: 2) + "x" } ?? "–") | \(roundTrip) | \(format(row.speed?.encodeMBPerSecond, digits: 1)) | \(format(row.speed?.decodeMBPerSecond, digits: 1)) |"
            )
        }
        lines.append("")
        lines.append(
            "bytes/symbol = raw bytes / symbols; bits/raw byte = symbols x log2(alphabet) / raw bytes; serialized = symbols packed at ceil(log2(alphabet)) bits (the native output for byte-valued compressors); speed = median of \(results.compressors.compactMap(\.speed).first?.passes ?? 0) passes, one thread.")

        let failures = results.compressors.filter { $0.status == .failed }
        if !failures.isEmpty {
            lines.append("")
            lines.append("## Failures")
            lines.append("")
            for row in failures { lines.append("- `\(row.spec)`: \(row.error ?? "unknown error")") }
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

    /// Fixed-precision number, or an en dash when absent.
    static func format(_ value: Double?, digits: Int = 3) -> String {
        guard let value else { return "–" }
        return String(format: "%.\(digits)f", value)
    }
}
