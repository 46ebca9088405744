import Foundation
import Testing

/// `make install` lays out a binary that finds its shipped corpus and external plugins from any
/// directory (checked with the debug build: `make install-built CONFIGURATION=debug`).
@Suite struct InstallTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/make")))
    func anInstalledBinaryFindsItsCorpusAndPlugins() throws {
        let prefix = try temporaryDirectory()
        let elsewhere = try temporaryDirectory()
        let configuration = URL(fileURLWithPath: WorkbenchProcess.executable).deletingLastPathComponent().lastPathComponent
        let install = try WorkbenchProcess.runShell(
            "make --no-print-directory -C \"$0\" install-built PREFIX=\"$1\" CONFIGURATION=\"$2\" 2>&1",
            [WorkbenchProcess.repositoryRoot, prefix, configuration])
        #expect(install.status == 0, "\(install.text)")
        let binary = prefix + "/bin/workbench"
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/workbench/corpora/cpython-stdlib.jsonl"))
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/workbench/plugins/external/PROTOCOL.md"))
        let environment: [String: String?] = ["WORKBENCH_ROOT": nil, "WORKBENCH_CORPORA": nil]
        let plugins = try run(binary, ["plugins"], in: elsewhere, environment: environment)
        #expect(plugins.status == 0, "\(plugins.standardError)")
        #expect(plugins.text.contains("external: \(prefix)/share/workbench/plugins/external/xz-python"), "\(plugins.text)")
        let encode = try run(
            binary, ["encode", "--compressor", "bytes", "--split", "test", "--out", "e.jsonl"], in: elsewhere,
            environment: environment)
        #expect(encode.status == 0, "\(encode.standardError)")
        // The test split under the (default) near-duplicate rule.
        #expect(encode.standardError.contains("encoded 19 documents"), "\(encode.standardError)")
    }

    func run(
        _ binary: String, _ arguments: [String], in directory: String, environment: [String: String?]
    ) throws
        -> WorkbenchProcess.Outcome
    {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = merged
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        nonisolated(unsafe) var err = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return WorkbenchProcess.Outcome(
            status: process.terminationStatus, standardOutput: [UInt8](out), standardError: String(decoding: err, as: UTF8.self))
    }
}
