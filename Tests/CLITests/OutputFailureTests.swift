import Foundation
import Testing
import WorkbenchTestSupport

/// A write that fails (a full disk, /dev/full, a closed standard output) is one clear error:
/// what could not be written, where, the system's reason; exit status 1, never a trap.
@Suite struct OutputFailureTests {
    let input = Array("def greet(name):\n    return f'hello {name}'\n".utf8)

    func expectOneClearFailure(_ outcome: WorkbenchProcess.Outcome, _ what: String, _ reason: String) {
        #expect(outcome.status == 1, "\(what): status \(outcome.status): \(outcome.standardError)")
        #expect(outcome.standardError.contains("cannot write \(what) to standard output: \(reason)"), "\(outcome.standardError)")
        #expect(outcome.standardError.components(separatedBy: "cannot write").count == 2, "once: \(outcome.standardError)")
        #expect(!outcome.standardError.contains("Fatal error"), "\(outcome.standardError)")
    }

    @Test func compressDecompressAndEncodeToDevFull() throws {
        let container = try WorkbenchProcess.run(["compress", "--compressor", "bytes"], input: input).standardOutput
        let full = ">/dev/full"
        expectOneClearFailure(
            try WorkbenchProcess.run(["compress", "--compressor", "bytes"], standardOutput: full, input: input), "the container",
            "No space left on device")
        expectOneClearFailure(
            try WorkbenchProcess.run(["decompress"], standardOutput: full, input: container), "the decompressed bytes",
            "No space left on device")
        expectOneClearFailure(
            try WorkbenchProcess.run(["encode", "--compressor", "bytes", "--in", "-"], standardOutput: full, input: input),
            "the encoded document", "No space left on device")
        let directory = try temporaryDirectory()
        try "{\"text\": \"a\"}\n{\"text\": \"b\"}\n".write(toFile: directory + "/c.jsonl", atomically: true, encoding: .utf8)
        expectOneClearFailure(
            try WorkbenchProcess.run(
                ["encode", "--compressor", "bytes", "--corpus", "c.jsonl"], standardOutput: full, in: directory),
            "the encode output", "No space left on device")
        // What goes through print (a command's report) fails the same way.
        let listing = try WorkbenchProcess.run(["plugins"], standardOutput: full)
        expectOneClearFailure(listing, "the output", "No space left on device")
    }

    @Test func aClosedStandardOutputIsAnErrorNotATrap() throws {
        let closed = ">&-"
        expectOneClearFailure(
            try WorkbenchProcess.run(["compress", "--compressor", "bytes"], standardOutput: closed, input: input),
            "the container",
            "Bad file descriptor")
        let directory = try temporaryDirectory()
        try Data(input).write(to: URL(fileURLWithPath: directory + "/in.py"))
        // The input file must not take standard output's number and receive the output.
        let outcome = try WorkbenchProcess.run(
            ["encode", "--compressor", "bytes", "--in", "in.py"], standardOutput: closed, in: directory)
        expectOneClearFailure(outcome, "the encoded document", "Bad file descriptor")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/in.py"))) == input)
    }

    /// `--out` naming a device writes into it; it never replaces the device node.
    @Test func outputToADeviceIsWrittenIntoNotReplaced() throws {
        let outcome = try WorkbenchProcess.run(["compress", "--compressor", "bytes", "--out", "/dev/full"], input: input)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("cannot write the container to '/dev/full': No space left on device"))
        var status = stat()
        #expect(stat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        let null = try WorkbenchProcess.run(["compress", "--compressor", "bytes", "--out", "/dev/null"], input: input)
        #expect(null.status == 0, "\(null.standardError)")
    }

    /// A full file system (a 64 KiB tmpfs; needs root, skipped otherwise): the write fails with
    /// the system's reason, and neither the target nor a temporary file is left behind.
    @Test(.enabled(if: SmallFileSystem.isAvailable, "cannot mount a tmpfs here (needs root)"))
    func aFullFileSystemLeavesNothingBehind() throws {
        let mount = try #require(try SmallFileSystem(kilobytes: 64), "mounting a tmpfs failed")
        defer { mount.remove() }
        let big = [UInt8]((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) })
        let outcome = try WorkbenchProcess.run(
            ["compress", "--compressor", "bytes", "--out", mount.path + "/x.wbsc"], input: big)
        #expect(outcome.status == 1)
        #expect(
            outcome.standardError.contains("cannot write '\(mount.path)/x.wbsc': No space left on device"),
            "\(outcome.standardError)")
        #expect(outcome.standardError.components(separatedBy: "cannot write").count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).isEmpty)
    }

    @Test func devicesAndHugeInputsAreRefusedWithWhatTheyAre() throws {
        let zero = try WorkbenchProcess.run(["compress", "--compressor", "bytes", "--in", "/dev/zero"])
        #expect(zero.status == 1)
        #expect(zero.standardError.contains("'/dev/zero': it is a device, not a file"), "\(zero.standardError)")
        #expect(!zero.standardError.contains("permission"))
        let directory = try temporaryDirectory()
        let sparse = directory + "/sparse.bin"
        #expect(FileManager.default.createFile(atPath: sparse, contents: nil))
        #expect(truncate(sparse, 5 << 30) == 0)
        let huge = try WorkbenchProcess.run(["compress", "--compressor", "bytes", "--in", sparse])
        #expect(huge.status == 1)
        #expect(huge.standardError.contains("it has 5368709120 bytes, more than the 4294967296"), "\(huge.standardError)")
        let folder = try WorkbenchProcess.run(["compress", "--compressor", "bytes", "--in", directory])
        #expect(folder.status == 1 && folder.standardError.contains("it is a directory"))
    }
}
