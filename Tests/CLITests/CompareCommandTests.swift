import Foundation
import Testing
import WorkbenchCore

@Suite struct CompareCommandTests {
    func writeCorpus(_ lines: [String], in directory: String, name: String = "corpus.jsonl") throws -> String {
        let path = directory + "/" + name
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func jsonObject(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func writesARunDirectoryWithVersionedResults() throws {
        let directory = try temporaryDirectory()
        let outcome = try WorkbenchProcess.run(
            [
                "compare", "--stages", "rate,stats", "--compressors", "bytes,bytepairs", "--out", directory + "/run", "--passes",
                "1",
            ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.text == directory + "/run/report.html\n")
        for file in ["config.json", "environment.json", "results.json", "report.md", "report.html", "results.csv"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/run/" + file), "\(file)")
        }
        let results = try jsonObject(directory + "/run/results.json")
        #expect(results["schema"] as? String == "workbench.results/1")
        #expect(try jsonObject(directory + "/run/environment.json")["blas_core"] is String)
        let corpus = try #require(results["corpus"] as? [String: Any])
        #expect(corpus["name"] as? String == "cpython-stdlib")
        #expect(corpus["split"] as? String == "valid")
        // The near-duplicate split rule (the default) moves three valid documents into train.
        #expect(corpus["documents"] as? Int == 20)
        #expect((corpus["train_overlap"] as? [String: Any])?["share"] as? Double ?? 1 < 0.05)
        let rows = try #require(results["compressors"] as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == ["bytes", "bytepairs"])
        let rate = try #require(rows[1]["rate"] as? [String: Any])
        // One symbol per byte pair, plus one for each odd-length document.
        let valid = try Corpus.load(path: WorkbenchProcess.repositoryRoot + "/corpora/cpython-stdlib.jsonl").applying(
            .nearDuplicate
        )
        .documents(in: .valid)
        #expect(rate["symbols"] as? Int == valid.reduce(0) { $0 + ($1.bytes.count + 1) / 2 })
        #expect(rows.allSatisfy { $0["status"] as? String == "ok" })
    }

    /// A small sweep: two seeds at two budgets for the baseline and a proxy.
    static let sweep = [
        "compare", "--stages", "rate,train", "--compressors", "bytes", "--seeds", "2", "--budgets", "2e9,4e9", "--width", "32",
        "--layers", "1", "--heads", "2", "--context", "64", "--batch", "4", "--passes", "1",
    ]

    /// The train stage end to end: every model once per seed and budget, each run in its own
    /// directory, the summaries filled, and a resumed comparison that reuses every run.
    @Test func trainStageTrainsEverySeedAndBudgetAndResumeReusesThem() throws {
        let directory = try temporaryDirectory()
        let arguments = Self.sweep + ["--out", directory + "/run"]
        let outcome = try WorkbenchProcess.run(arguments)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let results = try jsonObject(directory + "/run/results.json")
        let baseline = try #require(results["baseline"] as? [String: Any])
        let rows = try #require(results["compressors"] as? [[String: Any]])
        let proxy = try #require(rows.first?["proxy"] as? [String: Any])
        for record in [baseline, proxy] {
            let bits = try #require(record["raw_bits_per_byte"] as? Double)
            #expect(bits > 0 && bits < 16, "\(record)")
            #expect((record["runs"] as? [Any])?.count == 4)
            #expect((record["sweep"] as? [Any])?.count == 2)
            #expect(record["raw_bits_per_byte_ci95"] is [Double] && record["fit"] is [String: Any])
            #expect((record["flops"] as? Double ?? .infinity) <= 4e9)
        }
        #expect(proxy["vs_baseline"] is [String: Any] && proxy.keys.contains("crossover_flops"))
        #expect(baseline["rate"] as? Double == 0 && proxy["rate"] as? Double == 0.9)
        for model in ["bytes-only", "00-bytes"] {
            for run in ["seed-0-flops-2e9", "seed-1-flops-2e9", "seed-0-flops-4e9", "seed-1-flops-4e9"] {
                #expect(
                    FileManager.default.fileExists(atPath: directory + "/run/train/\(model)/\(run)/result.json"),
                    "\(model)/\(run)")
            }
        }
        let resumed = try WorkbenchProcess.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("run 1 of 8: bytes only, seed 0, 2e+09 FLOPs: already done"))
        let again = try jsonObject(directory + "/run/results.json")
        #expect(
            (again["baseline"] as? [String: Any])?["raw_bits_per_byte"] as? Double == baseline["raw_bits_per_byte"] as? Double)

        // Killed in the middle of the sweep, resumed: every run equals the uninterrupted one's.
        let killed = try temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WorkbenchProcess.executable)
        process.arguments = Self.sweep + ["--out", killed + "/run"]
        process.currentDirectoryURL = URL(fileURLWithPath: WorkbenchProcess.repositoryRoot)
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(600)
        let third = killed + "/run/train/bytes-only/seed-0-flops-4e9/result.json"
        while Date() < deadline, process.isRunning, !FileManager.default.fileExists(atPath: third) { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: killed + "/run/results.json"))
        let finished = try WorkbenchProcess.run(Self.sweep + ["--out", killed + "/run", "--resume"])
        #expect(finished.status == 0, "\(finished.standardError)")
        let uninterrupted = try jsonObject(directory + "/run/results.json")
        let afterKill = try jsonObject(killed + "/run/results.json")
        func losses(_ results: [String: Any]) -> [Double] {
            let records = [results["baseline"]] + ((results["compressors"] as? [[String: Any]]) ?? []).map { $0["proxy"] }
            return records.compactMap { $0 as? [String: Any] }.flatMap { record in
                ((record["runs"] as? [[String: Any]]) ?? []).compactMap { $0["raw_bits_per_byte"] as? Double }
            }
        }
        #expect(losses(afterKill).count == 8 && losses(afterKill) == losses(uninterrupted))
    }

    @Test func refusesARunDirectoryThatHoldsARunAndKeepsIt() throws {
        let directory = try temporaryDirectory()
        let corpus = try writeCorpus(["{\"text\": \"hello\"}"], in: directory)
        let first = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressors", "bytes", "--corpus", corpus, "--split", "all", "--out",
            directory + "/run",
        ])
        #expect(first.status == 0, "\(first.standardError)")
        let before = try Data(contentsOf: URL(fileURLWithPath: directory + "/run/results.json"))
        let second = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressors", "nibbles", "--corpus", corpus, "--split", "all", "--out",
            directory + "/run",
        ])
        #expect(second.status == 1)
        #expect(second.standardError.contains("already holds a run"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/run/results.json")) == before)
        let forced = try WorkbenchProcess.run(
            [
                "compare", "--stages", "rate", "--compressors", "nibbles", "--corpus", corpus, "--split", "all", "--out",
                directory + "/run", "--force",
            ])
        #expect(forced.status == 0, "\(forced.standardError)")
    }

    @Test func forceStartsOverWithoutReusingAnEarlierRunsTrainingOrStages() throws {
        let directory = try temporaryDirectory()
        let corpus = try writeCorpus(["{\"text\": \"hello\"}"], in: directory)
        let first = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressors", "bytes", "--corpus", corpus, "--split", "all", "--out",
            directory + "/run",
        ])
        #expect(first.status == 0, "\(first.standardError)")
        // What an earlier, longer run left: a finished proxy model and a stage marker.
        let stale = directory + "/run/train/bytes-only"
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: stale + "/result.json"))
        let forced = try WorkbenchProcess.run(
            [
                "compare", "--stages", "rate", "--compressors", "nibbles", "--corpus", corpus, "--split", "all", "--out",
                directory + "/run", "--force",
            ])
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(!FileManager.default.fileExists(atPath: stale))
        let stages = try FileManager.default.contentsOfDirectory(atPath: directory + "/run/stages")
        #expect(stages.count == 1 && stages.allSatisfy { $0.contains("nibbles") }, "\(stages)")
    }

    @Test func aCorpusWhoseLinesAreAllSkippedSaysSo() throws {
        let directory = try temporaryDirectory()
        let corpus = try writeCorpus(["{\"txt\": \"a\"}", "{\"txt\": \"b\"}"], in: directory)
        let outcome = try WorkbenchProcess.run(
            [
                "compare", "--stages", "rate", "--compressors", "bytes", "--corpus", corpus, "--split", "all", "--skip-bad-lines",
                "--out", directory + "/run",
            ])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("\(corpus):2: no field 'text'"))
        #expect(outcome.standardError.contains("corpus '\(corpus)' has no documents: all 2 of its lines were skipped as bad"))
    }

    @Test func badCorpusLinesNameFileAndLineOrAreSkippedAndCounted() throws {
        let directory = try temporaryDirectory()
        let corpus = try writeCorpus(["{\"text\": \"ok\"}", "{broken", "{\"body\": \"x\"}"], in: directory)
        let failed = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressors", "bytes", "--corpus", corpus, "--split", "all", "--out",
            directory + "/a",
        ])
        #expect(failed.status == 1)
        #expect(failed.standardError.contains("\(corpus):2: not valid JSON"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/a/results.json"))
        let skipped = try WorkbenchProcess.run(
            [
                "compare", "--stages", "rate", "--compressors", "bytes", "--corpus", corpus, "--split", "all", "--skip-bad-lines",
                "--out", directory + "/b",
            ])
        #expect(skipped.status == 0, "\(skipped.standardError)")
        let results = try jsonObject(directory + "/b/results.json")
        #expect((results["corpus"] as? [String: Any])?["skipped_bad_lines"] as? Int == 2)
    }

    @Test func emptyCorpusMissingCorpusAndEmptySplitAreClearErrors() throws {
        let directory = try temporaryDirectory()
        let empty = try writeCorpus([""], in: directory, name: "empty.jsonl")
        let cases: [([String], String)] = [
            (["--corpus", empty], "has no documents"),
            (["--corpus", directory + "/missing.jsonl"], "does not exist"),
            (["--corpus", try writeCorpus(["{\"text\": \"hello\"}"], in: directory)], "the valid split of"),
        ]
        for (arguments, message) in cases {
            let outcome = try WorkbenchProcess.run(
                ["compare", "--stages", "rate", "--compressors", "bytes", "--out", directory + "/run"] + arguments)
            #expect(outcome.status == 1)
            #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
        }
    }

    @Test func badOptionsAreRefusedBeforeAnyWork() throws {
        let directory = try temporaryDirectory()
        let unknown = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressor", "bytes:level=3", "--out", directory + "/run",
        ])
        #expect(unknown.status == 64, "a bad option value is a usage error")
        #expect(unknown.standardError.contains("bytes: unknown option 'level'; this compressor takes no options"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
        let none = try WorkbenchProcess.run(["compare", "--stages", "rate", "--out", directory + "/run"])
        #expect(none.status == 64)
    }

    @Test func reportReRendersAndRefusesOtherSchemas() throws {
        let directory = try temporaryDirectory()
        let corpus = try writeCorpus(["{\"text\": \"hello world\"}"], in: directory)
        _ = try WorkbenchProcess.run([
            "compare", "--stages", "rate", "--compressors", "bytes", "--corpus", corpus, "--split", "all", "--out",
            directory + "/run",
        ])
        let original = try String(contentsOfFile: directory + "/run/report.md", encoding: .utf8)
        try FileManager.default.removeItem(atPath: directory + "/run/report.md")
        let rendered = try WorkbenchProcess.run(["report", directory + "/run/results.json"])
        #expect(rendered.status == 0, "\(rendered.standardError)")
        #expect(try String(contentsOfFile: directory + "/run/report.md", encoding: .utf8) == original)
        try #"{"schema": "workbench.results/0"}"#.write(toFile: directory + "/old.json", atomically: true, encoding: .utf8)
        let refused = try WorkbenchProcess.run(["report", directory + "/old.json"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("has schema 'workbench.results/0'"))
    }
}
