import Foundation
import Pipelines
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// A run's copy of a trained artifact is all or nothing, recorded once, and a failure is one
/// warning however many times the compressor is built.
@Suite struct ArtifactRecorderTests {
    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func append(_ message: String) { lock.withLock { list.append(message) } }
        var all: [String] { lock.withLock { list } }
    }

    func artifact(bytes: Int) throws -> String {
        let source = try TestEnvironment.temporaryDirectory(prefix: "artifact")
        let json = "{\"model\": \"" + String(repeating: "x", count: bytes) + "\"}\n"
        try json.write(toFile: source + "/tokenizer.json", atomically: true, encoding: .utf8)
        try "{}\n".write(toFile: source + "/bpe.json", atomically: true, encoding: .utf8)
        return source
    }

    /// The artifact cache follows the XDG Base Directory rules unless WORKBENCH_CACHE says otherwise.
    @Test func theCacheIsTheUsersCacheDirectory() {
        #expect(TrainingContext.cacheDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.cache/workbench")
        #expect(
            TrainingContext.cacheDirectory(environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "/c"]) == "/c/workbench")
        #expect(
            TrainingContext.cacheDirectory(environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "relative"])
                == "/home/u/.cache/workbench")
        #expect(
            TrainingContext.cacheDirectory(environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "/c", "WORKBENCH_CACHE": "/w"])
                == "/w")
    }

    @Test func recordsACompleteCopyAndLeavesAnIdenticalOneAlone() throws {
        let source = try artifact(bytes: 10_000)
        let run = try TestEnvironment.temporaryDirectory(prefix: "run")
        let warnings = Warnings()
        let recorder = ArtifactRecorder(artifactsDirectory: run + "/artifacts", warn: { warnings.append($0) })
        recorder.record(id: "bpe", from: source)
        let target = run + "/artifacts/bpe"
        #expect(FileManager.default.contentsEqual(atPath: source + "/tokenizer.json", andPath: target + "/tokenizer.json"))
        let before = try FileManager.default.attributesOfItem(atPath: target + "/tokenizer.json")[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.02)
        recorder.record(id: "bpe", from: source)
        let after = try FileManager.default.attributesOfItem(atPath: target + "/tokenizer.json")[.modificationDate] as? Date
        #expect(before == after)
        // A changed artifact replaces the copy whole.
        try "{\"other\": 1}\n".write(toFile: source + "/tokenizer.json", atomically: true, encoding: .utf8)
        recorder.record(id: "bpe", from: source)
        #expect(try String(contentsOfFile: target + "/tokenizer.json", encoding: .utf8) == "{\"other\": 1}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: run + "/artifacts") == ["bpe"])
        #expect(warnings.all.isEmpty)
    }

    /// The full disk: a tokenizer.json bigger than the free space leaves no truncated
    /// copy (no `artifacts/bpe` at all), and six builds of the compressor warn once.
    @Test(.enabled(if: SmallFileSystem.isAvailable, "cannot mount a tmpfs here (needs root)"))
    func aFullDiskLeavesNoTruncatedCopyAndWarnsOnce() throws {
        let disk = try #require(try SmallFileSystem(kilobytes: 64), "mounting a tmpfs failed")
        defer { disk.remove() }
        let source = try artifact(bytes: 200_000)
        let warnings = Warnings()
        for _ in 0..<6 {
            ArtifactRecorder(artifactsDirectory: disk.path + "/artifacts", warn: { warnings.append($0) }).record(
                id: "bpe", from: source)
        }
        #expect(!FileManager.default.fileExists(atPath: disk.path + "/artifacts/bpe"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path + "/artifacts") == [".bpe.warned"])
        #expect(warnings.all.count == 1, "\(warnings.all)")
        #expect(warnings.all.first?.contains("No space left on device") == true, "\(warnings.all)")
    }
}
