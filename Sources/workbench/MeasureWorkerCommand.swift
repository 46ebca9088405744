import ArgumentParser
import Pipelines

/// `workbench _measure`: the rate and statistics stages for one compressor, run by `compare` in a
/// child process so that a plugin that crashes or hangs fails its own row, not the comparison.
struct MeasureWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: MeasurementRequest.subcommand,
        abstract: "Internal: one compressor's rate and statistics stages (run by compare).", shouldDisplay: false)

    /// The parent's `MeasurementRequest`, as JSON.
    @Option var request: String

    func run() throws {
        try MeasuringChild.run(try MeasurementRequest(json: request), registry: try BuiltinsRegistry.shared)
    }
}
