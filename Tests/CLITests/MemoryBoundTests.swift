import Foundation
import Testing

/// `compare`'s memory is bounded by its longest document, at the rate docs/scale.md states: about
/// 41 bytes per byte with `bytes` (a symbol and a span per byte). A 4 MB single-line document
/// stays under 50 bytes per byte plus a fixed 100 MB.
@Suite struct MemoryBoundTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func aSingleLongDocumentStaysWithinTheDocumentedBound() throws {
        let directory = try temporaryDirectory()
        let words = ["def", "return", "self", "import", "x", "(", ")", ":", "\\n", "    "]
        var text = ""
        var seed: UInt64 = 11
        while text.utf8.count < 4_000_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += words[Int(seed >> 60) % words.count] + " "
        }
        try ("{\"text\": \"" + text + "\"}\n").write(toFile: directory + "/long.jsonl", atomically: true, encoding: .utf8)
        let outcome = try WorkbenchProcess.runShell(
            "/usr/bin/time -f 'peak %M' -o time.txt \"$@\"",
            [
                "sh", WorkbenchProcess.executable, "compare", "--compressors", "bytes", "--stages", "rate,stats", "--passes", "1",
                "--split", "all", "--corpus", "long.jsonl", "--out", "run",
            ], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try String(contentsOfFile: directory + "/time.txt", encoding: .utf8)
        let kilobytes = try #require(
            report.split(separator: "\n").last { $0.hasPrefix("peak ") }.flatMap { Int($0.dropFirst(5)) })
        let documentBytes = text.utf8.count
        print(
            "compare bytes on one \(documentBytes)-byte line: peak \(kilobytes) KB (\(kilobytes * 1024 / documentBytes) bytes per byte)"
        )
        #expect(kilobytes * 1024 < 50 * documentBytes + 100 << 20)
    }
}
