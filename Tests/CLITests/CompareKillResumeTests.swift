import Foundation
import Testing

/// `compare` killed with -9 mid-run and continued with `--resume` gives the results an
/// uninterrupted run gives, field for field (timings aside).
@Suite struct CompareKillResumeTests {
    static func rows(_ path: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let results = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(results["compressors"] as? [[String: Any]]).map { row in
            var row = row
            row["speed"] = nil  // wall-clock timings differ between any two runs
            return row
        }
    }

    @Test(.timeLimit(.minutes(3))) func resumeAfterKillMatchesAnUninterruptedRun() throws {
        let directory = try temporaryDirectory()
        let lines = (0..<60).map {
            "{\"text\": \"def f\($0)(x):\\n    return x * \($0) + \\\"\(String(repeating: "ab", count: $0))\\\"\\n\"}"
        }
        try lines.joined(separator: "\n").write(toFile: directory + "/c.jsonl", atomically: true, encoding: .utf8)
        let arguments = [
            "compare", "--stages", "rate,stats", "--compressors", "bytes,nibbles,zstd,bytepairs", "--passes", "1", "--split",
            "all", "--corpus", directory + "/c.jsonl",
        ]
        let straight = try WorkbenchProcess.run(arguments + ["--out", directory + "/straight"])
        #expect(straight.status == 0, "\(straight.standardError)")

        let interrupted = Process()
        interrupted.executableURL = URL(fileURLWithPath: WorkbenchProcess.executable)
        interrupted.arguments = arguments + ["--out", directory + "/killed"]
        interrupted.currentDirectoryURL = URL(fileURLWithPath: WorkbenchProcess.repositoryRoot)
        interrupted.standardOutput = FileHandle.nullDevice
        interrupted.standardError = FileHandle.nullDevice
        try interrupted.run()
        let stages = directory + "/killed/stages"
        let deadline = Date().addingTimeInterval(120)
        while interrupted.isRunning && Date() < deadline
            && ((try? FileManager.default.contentsOfDirectory(atPath: stages))?.filter { $0.hasSuffix(".json") }.isEmpty ?? true)
        {
            Thread.sleep(forTimeInterval: 0.002)
        }
        kill(interrupted.processIdentifier, SIGKILL)
        interrupted.waitUntilExit()
        let done = (try? FileManager.default.contentsOfDirectory(atPath: stages))?.filter { $0.hasSuffix(".json") } ?? []
        print("compare killed with \(done.count) of 4 compressors' stages done")
        #expect(!FileManager.default.fileExists(atPath: directory + "/killed/results.json"), "killed too late to test a resume")
        let resumed = try WorkbenchProcess.run(arguments + ["--out", directory + "/killed", "--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let expected = try Self.rows(directory + "/straight/results.json")
        let actual = try Self.rows(directory + "/killed/results.json")
        #expect(expected.count == 4 && actual.count == 4)
        for (a, b) in zip(expected, actual) {
            let same = NSDictionary(dictionary: a).isEqual(to: b)
            #expect(same, "\(a["id"] ?? "?") differs after kill -9 and --resume")
        }
    }
}
