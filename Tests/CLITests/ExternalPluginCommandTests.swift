import Foundation
import Testing

/// The external-plugin host as a user meets it on the command line: `plugins check`, a bad
/// manifest among good ones, usage errors, the library version in `workbench plugins`.
@Suite struct ExternalPluginCommandTests {
    /// True when `python3` is on PATH; tests that start a Python plugin are skipped otherwise.
    static let hasPython: Bool = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }()

    static let misbehaving = WorkbenchProcess.repositoryRoot + "/Tests/ExternalPluginTests/Misbehaving/misbehaving.py"

    /// A plugins folder holding one plugin folder per (id, manifest text).
    func pluginsDirectory(_ manifests: [(String, String)]) throws -> String {
        let root = try temporaryDirectory() + "/plugins"
        for (id, text) in manifests {
            try FileManager.default.createDirectory(atPath: "\(root)/\(id)", withIntermediateDirectories: true)
            try text.write(toFile: "\(root)/\(id)/plugin.json", atomically: true, encoding: .utf8)
        }
        return root
    }

    /// A manifest running misbehaving.py in `mode`.
    func misbehavingManifest(_ id: String, mode: String, pidFile: String) -> String {
        #"{"id": "\#(id)", "command": "python3", "arguments": ["\#(Self.misbehaving)", "\#(mode)", "\#(pidFile)"], "timeout_seconds": 20}"#
    }

    @Test func checkRunsEveryCaseOnABuiltIn() throws {
        let outcome = try WorkbenchProcess.run(["plugins", "check", "bytepairs"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        for name in [
            "fixed inputs round-trip", "batches equal single calls", "decode bound", "truncated and bit-flipped streams",
        ] {
            #expect(outcome.text.contains("  ok    \(name)"), "\(outcome.text)")
        }
        #expect(outcome.text.contains("bytepairs: 8 of 8 cases passed"), "\(outcome.text)")
    }

    @Test(.enabled(if: hasPython, "python3 is not on PATH"))
    func checkFailsAPluginKeptOutsideTheRepositoryCaseByCase() throws {
        let directory = try pluginsDirectory([
            ("lossy", misbehavingManifest("lossy", mode: "long-loses-a-byte", pidFile: "/dev/null"))
        ])
        let outcome = try WorkbenchProcess.run(["plugins", "check", "lossy", "--plugins-dir", directory])
        #expect(outcome.status == 1, "\(outcome.standardError)")
        #expect(outcome.text.contains("  FAIL  fixed inputs round-trip"), "\(outcome.text)")
        #expect(outcome.text.contains("- 100 KB of 'a': the round trip differs"), "\(outcome.text)")
        #expect(outcome.text.contains("  ok    symbols outside the alphabet"), "\(outcome.text)")
        #expect(outcome.text.contains("lossy: "), "\(outcome.text)")
    }

    @Test func aBadManifestIsSkippedAndFailsOnlyWhenAskedFor() throws {
        let directory = try pluginsDirectory([
            ("good", #"{"id": "good", "command": "no-such-program-for-workbench-tests"}"#),
            ("bad", #"{"id": "bad", "command": "python3",}"#),
        ])
        let listing = try WorkbenchProcess.run(["plugins", "--plugins-dir", directory])
        #expect(listing.status == 0, "\(listing.standardError)")
        #expect(listing.text.contains("good  good"), "\(listing.text)")
        #expect(
            listing.standardError.contains("skipping an external plugin: \(directory)/bad/plugin.json: not valid JSON at line 1"),
            "\(listing.standardError)")
        // A command that uses only a built-in runs.
        let compressed = try WorkbenchProcess.run(
            ["compress", "--compressor", "bytes", "--plugins-dir", directory], input: [1, 2, 3])
        #expect(compressed.status == 0, "\(compressed.standardError)")
        let asked = try WorkbenchProcess.run(["compress", "--compressor", "bad", "--plugins-dir", directory], input: [1, 2, 3])
        #expect(asked.status == 1)
        #expect(
            asked.standardError.contains("compressor 'bad' cannot be used: \(directory)/bad/plugin.json: not valid JSON"),
            "\(asked.standardError)")
    }

    @Test func aBadOptionValueIsAUsageError() throws {
        for spec in ["zstd:level=99", "xz-python:preset=12", "bytes:level=3"] {
            let outcome = try WorkbenchProcess.run(["compress", "--compressor", spec], input: [1, 2, 3])
            #expect(outcome.status == 64, "\(spec): \(outcome.standardError)")
        }
    }

    @Test(.enabled(if: hasPython, "python3 is not on PATH"))
    func optionsARunningPluginRefusesAreAUsageError() throws {
        let directory = try pluginsDirectory([
            (
                "picky",
                #"{"id": "picky", "command": "python3", "arguments": ["\#(Self.misbehaving)", "refuse-options", "/dev/null"], "options": [{"name": "tag", "type": "text", "default": "x"}]}"#
            )
        ])
        let outcome = try WorkbenchProcess.run(
            ["compress", "--compressor", "picky:tag=nothing", "--plugins-dir", directory], input: [1])
        #expect(outcome.status == 64, "\(outcome.standardError)")
        #expect(
            outcome.standardError.contains("the options [tag=nothing] were refused by external plugin 'picky'"),
            "\(outcome.standardError)")
    }

    @Test(.enabled(if: hasPython, "python3 is not on PATH"))
    func pluginsShowsTheLibraryOfExternalPlugins() throws {
        let outcome = try WorkbenchProcess.run(["plugins"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.text.contains("xz-python  xz (Python lzma)  (python-lzma 3."), "\(outcome.text)")
    }
}
