import Foundation
import Testing

/// Corpus problems get the right words: an unreadable folder is "Permission denied" (not "no
/// documents"), a JSONL line `42` is valid JSON that is not an object, and `encode
/// --skip-bad-lines` says how many lines it skipped.
@Suite struct CorpusMessageTests {
    /// Runs the binary without the capabilities that let root read anything (setpriv), so that
    /// permissions apply as they do for a user; plainly when not root.
    func runWithoutOverride(_ arguments: [String], in directory: String) throws -> WorkbenchProcess.Outcome {
        guard getuid() == 0 else { return try WorkbenchProcess.run(arguments, in: directory) }
        return try WorkbenchProcess.runShell(
            "exec setpriv --bounding-set=-dac_override,-dac_read_search \"$@\"", ["sh", WorkbenchProcess.executable] + arguments,
            in: directory)
    }

    @Test func anUnreadableFolderIsPermissionDenied() throws {
        guard getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("skipped: running as root without setpriv, permissions cannot apply")
            return
        }
        let directory = try temporaryDirectory()
        let corpus = directory + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus + "/locked", withIntermediateDirectories: true)
        try "print(1)\n".write(toFile: corpus + "/a.py", atomically: true, encoding: .utf8)
        try "print(2)\n".write(toFile: corpus + "/locked/b.py", atomically: true, encoding: .utf8)
        defer { chmod(corpus + "/locked", 0o755) }
        for (folder, named) in [(corpus + "/locked", corpus + "/locked"), (corpus, corpus + "/locked")] {
            chmod(corpus + "/locked", 0o755)
            chmod(folder, 0o000)
            let outcome = try runWithoutOverride(["encode", "--compressor", "bytes", "--corpus", corpus], in: directory)
            chmod(folder, 0o755)
            #expect(outcome.status == 1)
            let expected = folder == corpus ? corpus : named
            #expect(
                outcome.standardError.contains("cannot read directory '\(expected)': Permission denied"),
                "\(outcome.standardError)")
            #expect(!outcome.standardError.contains("no documents"), "\(outcome.standardError)")
        }
    }

    @Test func encodeCountsTheLinesItSkips() throws {
        let directory = try temporaryDirectory()
        try "{\"text\": \"a\"}\n42\nnot json\n{\"text\": \"b\"}\n".write(
            toFile: directory + "/c.jsonl", atomically: true, encoding: .utf8)
        let strict = try WorkbenchProcess.run(["encode", "--compressor", "bytes", "--corpus", "c.jsonl"], in: directory)
        #expect(strict.status == 1)
        #expect(strict.standardError.contains("c.jsonl:2: valid JSON but not an object (a number)"), "\(strict.standardError)")
        let skipping = try WorkbenchProcess.run(
            ["encode", "--compressor", "bytes", "--corpus", "c.jsonl", "--skip-bad-lines"], in: directory)
        #expect(skipping.status == 0, "\(skipping.standardError)")
        #expect(skipping.text.split(separator: "\n").count == 2)
        #expect(skipping.standardError.contains("encoded 2 documents (2 bad lines skipped)"), "\(skipping.standardError)")
    }
}

/// Trained artifacts are cached in the user's cache directory, not under whatever directory the
/// command runs in (a read-only one would break `compare --compressors bpe`).
@Suite struct ArtifactCacheTests {
    @Test func trainedArtifactsGoToTheXDGCacheNotTheWorkingDirectory() throws {
        let directory = try temporaryDirectory()
        let cache = try temporaryDirectory()
        try "{\"text\": \"def f(x):\\n    return x\\n\"}\n{\"text\": \"def g(y):\\n    return y\\n\"}\n".write(
            toFile: directory + "/c.jsonl", atomically: true, encoding: .utf8)
        let outcome = try WorkbenchProcess.run(
            ["compress", "--compressor", "bpe:vocab=260", "--corpus", "c.jsonl", "--in", "c.jsonl", "--out", "x.wbsc"],
            in: directory, environment: ["WORKBENCH_CACHE": nil, "XDG_CACHE_HOME": cache])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(FileManager.default.fileExists(atPath: cache + "/workbench/bpe"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/artifacts"))
    }
}
