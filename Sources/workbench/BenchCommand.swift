import ArgumentParser

/// `workbench bench`: reproducible micro-benchmarks that print one JSON line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print one JSON line each (build with -c release for real numbers).",
        subcommands: [BenchEngineCommand.self, BenchBLASCommand.self])
}
