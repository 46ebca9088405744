import Foundation
import WorkbenchCore
import WorkbenchTestSupport

/// Runs the built `workbench` binary, as a user would.
struct WorkbenchProcess {
    struct Outcome {
        var status: Int32
        var standardOutput: [UInt8]
        var standardError: String
        var text: String { String(decoding: standardOutput, as: UTF8.self) }
    }

    static let repositoryRoot = TestEnvironment.repositoryRoot

    /// The binary beside the test bundle (`swift build` puts both in the same folder).
    static let executable: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("workbench").path,
            repositoryRoot + "/.build/debug/workbench",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }()

    /// Runs `workbench arguments...` in `directory` with `input` on standard input, in this
    /// process's environment changed by `environment` (a nil value removes the variable).
    static func run(
        _ arguments: [String], input: [UInt8] = [], in directory: String? = nil, environment: [String: String?] = [:]
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (name, value) in environment { merged[name] = value }
            process.environment = merged
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? repositoryRoot)
        return try runCollecting(process, input: input)
    }

    /// Runs `process` with `input` on its standard input and collects both outputs.
    private static func runCollecting(_ process: Process, input: [UInt8]) throws -> Outcome {
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        DispatchQueue.global().async(group: group) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, standardOutput: [UInt8](out), standardError: String(decoding: err, as: UTF8.self))
    }
}

extension WorkbenchProcess {
    /// Runs `workbench arguments...` through `/bin/sh` with its standard output redirected by
    /// `redirection` (`>/dev/full`, `>&-`), which `Process` cannot express.
    static func run(
        _ arguments: [String], standardOutput redirection: String, input: [UInt8] = [], in directory: String? = nil
    )
        throws -> Outcome
    {
        try runShell("exec \"$0\" \"$@\" \(redirection)", [executable] + arguments, input: input, in: directory)
    }

    /// Runs a `/bin/sh -c` script with `$0...` set to `arguments`.
    static func runShell(
        _ script: String, _ arguments: [String], input: [UInt8] = [], in directory: String? = nil
    ) throws
        -> Outcome
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? repositoryRoot)
        return try runCollecting(process, input: input)
    }

    /// Trains the tiny `ac` model M1 of the reproductions (a fraction of a second) and
    /// returns its directory.
    static func tinyACModel() throws -> String {
        let directory = try temporaryDirectory()
        let corpus = directory + "/small.jsonl"
        let lines = (0..<40).map { "{\"text\": \"def f\($0)(x):\\n    return x * \($0)\\n\"}" }
        try lines.joined(separator: "\n").write(toFile: corpus, atomically: true, encoding: .utf8)
        let outcome = try run(["train-compressor", "ac", "--corpus", corpus, "--out", directory + "/m1"])
        guard outcome.status == 0 else { throw WorkbenchError("tiny ac model: \(outcome.standardError)") }
        return directory + "/m1"
    }
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "workbench-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
