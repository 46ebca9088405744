import ArgumentParser
import Foundation
import Pipelines
import Reports
import WorkbenchCore

/// `workbench report`: re-render the reports of a run from its results.json alone.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render report.md, report.html and results.csv from a run's results.json (beside it, atomically).",
        discussion: """
            --add-run DIR adds a proxy run trained elsewhere (DIR holds its result.json: a workbench train run from \
            another machine, or a trainers/pytorch run on GPUs) to results.json, then renders: runs are grouped into \
            models by compressor, trainer, rate and mode, summarized over seeds and budgets, and each proxy is \
            compared with the bytes-only model of the same trainer. Pass every run of a model together; adding a \
            model again replaces it.
            """)

    @Argument(help: "The results.json of a run.")
    var results: String

    @Option(
        name: .customLong("add-run"),
        help: ArgumentHelp("A training run trained elsewhere (its directory, holding result.json); repeatable.", valueName: "dir")
    )
    var addedRuns: [String] = []

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: results))
        } catch {
            throw WorkbenchError("cannot read '\(results)': \(error.localizedDescription)")
        }
        var parsed = try ResultsFile.decode(data, path: results)
        let directory = URL(fileURLWithPath: results).deletingLastPathComponent().path
        let runDirectory = RunDirectory(path: directory)
        if !addedRuns.isEmpty {
            let runs = try addedRuns.map { ($0, try TrainedElsewhere.load($0)) }
            parsed = TrainedElsewhere.add(runs, to: parsed)
            // Reports are a function of results.json alone: the added runs go into it first.
            try AtomicFile.writeJSON(parsed, to: results)
        }
        try RunReports.write(parsed, into: runDirectory)
        print(runDirectory.file("report.html"))
    }
}
