import Foundation
import Testing

/// A compressor that hangs, crashes or fails fails its own row; the others complete.
/// The misbehaving compressors are external plugins (Tests/ExternalPluginTests/Misbehaving).
@Suite(.serialized) struct CompareFailureTests {
    static let misbehaving = WorkbenchProcess.repositoryRoot + "/Tests/ExternalPluginTests/Misbehaving/misbehaving.py"

    /// A plugins folder holding one misbehaving plugin with the given mode and manifest timeout.
    func pluginFolder(id: String, mode: String, timeoutSeconds: Int) throws -> String {
        let root = try temporaryDirectory()
        let folder = root + "/" + id
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let manifest = """
            {"format": "workbench.external-plugin/1", "id": "\(id)", "display_name": "\(id)", "description": "test",
             "command": "python3", "arguments": ["\(Self.misbehaving)", "\(mode)", "\(root)/pids"],
             "timeout_seconds": \(timeoutSeconds), "max_processes": 1, "options": []}
            """
        try manifest.write(toFile: folder + "/plugin.json", atomically: true, encoding: .utf8)
        return root
    }

    /// A small corpus, so the child processes start fast even in a debug build.
    func smallCorpus(in directory: String) throws -> String {
        let path = directory + "/small.jsonl"
        try ["{\"text\": \"def f(x):\\n    return x\\n\"}", "{\"text\": \"print('hello')\\n\"}"]
            .joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(.timeLimit(.minutes(2)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func hangingAndCrashingCompressorsFailTheirRowsOnly() throws {
        let hang = try pluginFolder(id: "hangs", mode: "hang-on-encode", timeoutSeconds: 600)
        let crash = try pluginFolder(id: "crashes", mode: "segfault-on-encode", timeoutSeconds: 600)
        let directory = try temporaryDirectory()
        let started = Date()
        let outcome = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressors", "bytes,hangs,crashes,nibbles", "--passes", "1",
            "--corpus", try smallCorpus(in: directory), "--split", "all",
            "--timeout", "15", "--plugins-dir", hang, "--plugins-dir", crash, "--out", directory + "/run",
        ])
        #expect(outcome.status == 1)
        #expect(Date().timeIntervalSince(started) < 90, "the hanging plugin was not stopped by --timeout")
        #expect(outcome.standardError.contains("2 of 4 compressors failed"))
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/run/results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(results["compressors"] as? [[String: Any]])
        #expect(rows.map { $0["status"] as? String } == ["ok", "failed", "failed", "ok"])
        #expect((rows[1]["error"] as? String)?.contains("timed out after 15 s") == true, "\(rows[1]["error"] ?? "")")
        #expect((rows[2]["error"] as? String)?.contains("crashes") == true, "\(rows[2]["error"] ?? "")")
        let report = try String(contentsOfFile: directory + "/run/report.md", encoding: .utf8)
        #expect(report.contains("## Failures"))
    }

    @Test(.timeLimit(.minutes(2)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func aBrokenRoundTripIsAFailedRowWithItsReason() throws {
        let broken = try pluginFolder(id: "lossy", mode: "wrong-round-trip", timeoutSeconds: 30)
        let directory = try temporaryDirectory()
        let outcome = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressors", "lossy,bytes", "--passes", "1", "--plugins-dir", broken,
            "--corpus", try smallCorpus(in: directory), "--split", "all", "--out", directory + "/run",
        ])
        #expect(outcome.status == 1)
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/run/results.json"))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(results["compressors"] as? [[String: Any]])
        #expect(rows.map { $0["status"] as? String } == ["failed", "ok"])
        #expect((rows[0]["error"] as? String)?.isEmpty == false)
    }

    @Test func resumeSkipsFinishedStagesAndRefusesOtherSettings() throws {
        let directory = try temporaryDirectory()
        let arguments = [
            "compare", "--stages", "rate", "--compressors", "bytes,nibbles", "--passes", "1", "--out", directory + "/run",
            "--corpus", try smallCorpus(in: directory), "--split", "all",
        ]
        #expect(try WorkbenchProcess.run(arguments).status == 0)
        // Simulate an interruption after the first compressor: drop the second stage file and the results.
        let stages = try FileManager.default.contentsOfDirectory(atPath: directory + "/run/stages").sorted()
        #expect(stages == ["00-bytes.json", "01-nibbles.json"])
        try FileManager.default.removeItem(atPath: directory + "/run/stages/01-nibbles.json")
        try FileManager.default.removeItem(atPath: directory + "/run/results.json")
        let resumed = try WorkbenchProcess.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("bytes: rate already done"))
        #expect(FileManager.default.fileExists(atPath: directory + "/run/results.json"))
        let other = try WorkbenchProcess.run(arguments.map { $0 == "bytes,nibbles" ? "bytes" : $0 } + ["--resume"])
        #expect(other.status == 1)
        #expect(other.standardError.contains("holds a run with other settings"))
    }
}
