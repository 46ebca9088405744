import Foundation
import Testing

/// `workbench export --format training-stream` on the command line: usage errors exit 64 with
/// a message naming the option, and sharded streams are refused by `merge`.
@Suite struct TrainingStreamCommandTests {
    static let small = [
        "--steps", "2", "--width", "16", "--layers", "1", "--heads", "2", "--context", "32", "--batch", "2",
    ]

    @Test(arguments: [
        (["--format", "training-stream", "--batch", "4", "--rank", "0", "--world-size", "3"], "does not divide the batch of 4"),
        (["--format", "token-array"], "needs --compressor"),
        (["--format", "token-array", "--compressor", "zstd", "--steps", "5"], "apply to --format training-stream only"),
        (["--format", "training-stream", "--split", "valid"], "--split does not apply"),
        (["--format", "training-stream", "--view", "raw"], "--view selects a token-array's view"),
        (["--format", "training-stream", "--jobs", "2"], "--jobs and --corpus-sha256 do not apply"),
        (["--format", "training-stream", "--rate", "0.5"], "--rate above 0 needs --compressor"),
    ])
    func usageErrorsNameTheOption(_ arguments: [String], _ message: String) throws {
        let directory = try temporaryDirectory()
        let outcome = try WorkbenchProcess.run(["export"] + arguments + ["--out", directory + "/s"])
        #expect(outcome.status == 64, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
    }

    @Test func shardsAreWrittenPerRankAndNotMerged() throws {
        let directory = try temporaryDirectory()
        for rank in ["0", "1"] {
            let outcome = try WorkbenchProcess.run(
                ["export", "--format", "training-stream", "--compressor", "zstd"] + Self.small + [
                    "--rank", rank, "--world-size", "2", "--out", directory + "/shards",
                ])
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/shards")
        #expect(names.contains("shard-0-of-2.valid.bin") && !names.contains("shard-1-of-2.valid.bin"))
        #expect(names.contains("shard-1-of-2.tokens.bin") && names.contains("shard-1-of-2.done.json"))
        let merge = try WorkbenchProcess.run(["merge", directory + "/shards", "--out", directory + "/merged"])
        #expect(merge.status == 1)
        #expect(merge.standardError.contains("is not merged"), "\(merge.standardError)")
    }
}
