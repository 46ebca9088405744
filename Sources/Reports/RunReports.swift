import WorkbenchCore

/// Every report file a run directory holds, rendered from its results.
public enum RunReports {
    /// File name and content of each report.
    public static func render(_ results: ComparisonResults) -> [(file: String, text: String)] {
        [
            ("report.md", MarkdownReport.render(results)),
            ("report.html", HTMLReport.render(results)),
            ("results.csv", CSVReport.render(results)),
        ]
    }

    /// Writes every report into a run directory, atomically each.
    public static func write(_ results: ComparisonResults, into directory: RunDirectory) throws(WorkbenchError) {
        for (file, text) in render(results) {
            try AtomicFile.write(text: text, to: directory.file(file))
        }
    }
}
