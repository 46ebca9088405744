import ArgumentParser
import Foundation
import Pipelines
import Reports
import WorkbenchCore

/// `workbench report`: re-render the reports of a run from its results.json alone.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render report.md, report.html and results.csv from a run's results.json (beside it, atomically).")

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
        let runDirectory = RunDirectory(path: directory)
        try RunReports.write(parsed, into: runDirectory)
        print(runDirectory.file("report.html"))
    }
}
