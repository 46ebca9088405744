import ArgumentParser

/// Benchmarks available in this build.
let benchSubcommands: [ParsableCommand.Type] = [BenchEngineCommand.self, BenchBLASCommand.self]
