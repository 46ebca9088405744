import Foundation
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

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "workbench-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
