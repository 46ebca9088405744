import ArgumentParser
import Foundation
import Reports
import WorkbenchCore

/// `workbench report`: re-render the reports of a run from its results.json alone.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render report.md from a run's results.json (written beside it, atomically).")

    @Argument(help: "The results.json of a run.")
    var results: String

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: results))
        } catch {
            throw WorkbenchError("cannot read '\(results)': \(error.localizedDescription)")
        }
        let parsed = try ResultsFile.decode(data, path: results)
        let directory = URL(fileURLWithPath: results).deletingLastPathComponent().path
        let reportPath = RunDirectory(path: directory).file("report.md")
        try AtomicFile.write(text: MarkdownReport.render(parsed), to: reportPath)
        print(reportPath)
    }
}
