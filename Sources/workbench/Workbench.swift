import ArgumentParser
import Logging
import NeuralEngine
import Pipelines

/// `workbench`: how good is a compressor as a proxy for language-model training?
@main
struct Workbench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbench",
        abstract: "A research workbench for proxy compression: compare compressors as proxies for language-model training.",
        discussion: """
            Compressors are named by spec: an id with optional options, such as zstd, zstd:level=19 or \
            brotli:quality=11,window=24. `workbench plugins` lists them. Without --corpus, commands use the \
            shipped corpus (corpora/cpython-stdlib.jsonl). Logs and progress go to standard error.
            Exit codes: 0 success, 1 failure, 64 usage error.
            """,
        version: WorkbenchVersion.current,
        subcommands: [
            CompareCommand.self, PluginsCommand.self, CompressCommand.self, DecompressCommand.self,
            EncodeCommand.self, ExportCommand.self, MergeCommand.self, SplitCommand.self, TrainCompressorCommand.self,
            TrainCommand.self,
            EvalCommand.self, MeasureWorkerCommand.self, ReportCommand.self, BenchCommand.self,
        ])

    static func main() {
        // Before anything else: may restart this process on OpenBLAS kernels that fit the CPU.
        let blas = BLASKernel.relaunchIfBetterCore()
        ChildProcess.dieWithParent()
        StandardStreams.guardClosedDescriptors()
        let (verbose, arguments) = VerboseFlag.extract(from: Array(CommandLine.arguments.dropFirst()))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
        log.debug("\(blas)")
        if let problem = blas.problem { log.warning("\(problem)") }
        mainReportingUsageErrors(arguments)
        StandardStreams.finishStandardOutput()
    }
}

/// The logger every command writes to (standard error).
let log = Logger(label: "workbench")
