import Foundation
import Testing

/// The sharding contract end to end, with real processes: ranks run concurrently, one is killed
/// mid-shard, relaunching skips complete shards, and `merge` equals an unsharded run byte for byte.
@Suite struct ShardingCommandTests {
    /// zstd at level 19 in a debug build takes about a second per shard of the shipped corpus:
    /// long enough to kill a rank mid-shard.
    static let export = ["export", "--compressor", "zstd:level=19", "--format", "token-array"]

    static func start(_ arguments: [String], in directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WorkbenchProcess.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: WorkbenchProcess.repositoryRoot)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func shippedCorpusSHA256() throws -> String {
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: WorkbenchProcess.repositoryRoot + "/corpora/MANIFEST.json")))
            as? [String: Any]
        let corpora = manifest?["corpora"] as? [[String: Any]]
        return try #require(corpora?.first?["sha256"] as? String)
    }

    func files(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test func killedShardIsRedoneAndTheMergeEqualsAnUnshardedRun() throws {
        let root = try temporaryDirectory()
        let shards = root + "/shards"
        let shard = { (rank: Int) in Self.export + ["--rank", String(rank), "--world-size", "3", "--out", shards] }

        // Ranks 0 and 2 run side by side while rank 1 is killed as soon as it starts writing.
        let others = try [0, 2].map { try Self.start(shard($0), in: root) }
        let victim = try Self.start(shard(1), in: root)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? files(shards)) ?? []).contains(where: { $0.hasPrefix(".shard-1-of-3.bin.tmp-") }) {
            usleep(5_000)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        others.forEach { $0.waitUntilExit() }
        #expect(others.allSatisfy { $0.terminationStatus == 0 })
        #expect(victim.terminationReason == .uncaughtSignal)
        #expect(!(try files(shards)).contains("shard-1-of-3.done.json"))

        // Merge refuses, naming the missing shard; a relaunch with another N is refused too.
        let refused = try WorkbenchProcess.run(["merge", shards, "--out", root + "/merged"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("shard-1-of-3") && !refused.standardError.contains("shard-0-of-3"))
        let otherN = try WorkbenchProcess.run(Self.export + ["--rank", "0", "--world-size", "2", "--out", shards])
        #expect(otherN.status != 0)
        #expect(otherN.standardError.contains("--world-size 3"))
        let outside = try WorkbenchProcess.run(Self.export + ["--rank", "3", "--world-size", "3", "--out", shards])
        #expect(outside.status == 64)
        #expect(outside.standardError.contains("outside 0...2"))

        // Relaunch every rank, as a scheduler retrying the array would: complete shards are skipped.
        // Given the corpus fingerprint, a rank skips hashing the corpus and is still the same job.
        let fingerprint = try Self.shippedCorpusSHA256()
        for rank in 0..<3 {
            let relaunch = try WorkbenchProcess.run(shard(rank) + ["--corpus-sha256", fingerprint])
            #expect(relaunch.status == 0, "\(relaunch.standardError)")
            #expect(relaunch.standardError.contains("already complete") == (rank != 1))
        }
        #expect(!(try files(shards)).contains { $0.contains(".tmp-") }, "the killed rank's temporary file is cleaned up")

        let merged = try WorkbenchProcess.run(["merge", shards, "--out", root + "/merged.bin"])
        #expect(merged.status == 0, "\(merged.standardError)")
        let unsharded = try WorkbenchProcess.run(Self.export + ["--out", root + "/whole"])
        #expect(unsharded.status == 0, "\(unsharded.standardError)")
        for suffix in [".bin", ".idx", ".json"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: root + "/merged" + suffix))
            let b = try Data(contentsOf: URL(fileURLWithPath: root + "/whole" + suffix))
            #expect(a == b, "merged\(suffix) differs from the unsharded run")
        }

        // A marker whose output was truncated afterwards: merge refuses, a relaunch redoes it.
        let bin = shards + "/shard-2-of-3.bin"
        try FileHandle(forWritingTo: URL(fileURLWithPath: bin)).truncate(atOffset: 10)
        let broken = try WorkbenchProcess.run(["merge", shards, "--out", root + "/again"])
        #expect(broken.status != 0)
        #expect(broken.standardError.contains("shard-2-of-3.bin has 10 bytes"))
        let redo = try WorkbenchProcess.run(shard(2))
        #expect(redo.status == 0)
        #expect(redo.standardError.contains("redoing shard-2-of-3"))
    }

    @Test func aRankThatIsRunningIsRefusedToASecondProcessAndLeftIntact() throws {
        let root = try temporaryDirectory()
        let shards = root + "/shards"
        // One rank for the whole corpus: a few seconds of work, time enough for the second to arrive.
        let rank0 = Self.export + ["--rank", "0", "--world-size", "1", "--out", shards]
        let first = try Self.start(rank0, in: root)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? files(shards)) ?? []).contains(where: { $0.hasPrefix(".shard-0-of-1.bin.tmp-") }) {
            usleep(5_000)
        }
        let second = try WorkbenchProcess.run(rank0)
        first.waitUntilExit()
        #expect(second.status == 1)
        #expect(
            second.standardError.contains(
                "shard-0-of-1 in '\(shards)' is being written by another process (pid \(first.processIdentifier) on "))
        // The first writer was not disturbed: its shard is complete and verifies.
        #expect(first.terminationStatus == 0)
        #expect(try files(shards).contains("shard-0-of-1.done.json"))
        let relaunch = try WorkbenchProcess.run(rank0)
        #expect(relaunch.status == 0 && relaunch.standardError.contains("already complete"), "\(relaunch.standardError)")
    }

    @Test func shardedEncodeMergesToTheUnshardedOutput() throws {
        let root = try temporaryDirectory()
        let encode = ["encode", "--compressor", "bytepairs", "--split", "valid"]
        for rank in 0..<2 {
            let outcome = try WorkbenchProcess.run(
                encode + ["--rank", String(rank), "--world-size", "2", "--jobs", "2", "--out", root + "/shards"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
        #expect(try WorkbenchProcess.run(["merge", root + "/shards", "--out", root + "/merged.jsonl"]).status == 0)
        let whole = try WorkbenchProcess.run(encode)
        #expect(whole.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/merged.jsonl")) == Data(whole.standardOutput))
    }
}
