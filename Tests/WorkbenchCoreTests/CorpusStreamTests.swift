import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// The streaming reader must read exactly what `Corpus.load` reads: same documents, sources,
/// splits and fingerprint; only the memory differs.
@Suite struct CorpusStreamTests {
    func streamed(
        _ path: String, options: Corpus.ReadOptions = .init(), units: Range<Int>? = nil
    ) throws -> (
        [CorpusDocument], [String]
    ) {
        var documents: [CorpusDocument] = []
        let skipped = try CorpusStream(path: path, options: options).forEachDocument(units: units) { documents.append($0) }
        return (documents, skipped)
    }

    func expectSame(_ path: String, options: Corpus.ReadOptions = .init()) throws {
        let corpus = try Corpus.load(path: path, options: options)
        let (documents, skipped) = try streamed(path, options: options)
        #expect(documents.map(\.bytes) == corpus.documents.map(\.bytes))
        #expect(documents.map(\.source) == corpus.documents.map(\.source))
        #expect(documents.map(\.split) == corpus.documents.map(\.split))
        #expect(skipped == corpus.skippedLines)
        let stream = try CorpusStream(path: path, options: options)
        #expect(try stream.scan().sha256 == corpus.sha256)
        #expect(stream.name == corpus.name)
    }

    @Test func jsonLinesMatchTheLoader() throws {
        let path = try TestEnvironment.temporaryDirectory() + "/c.jsonl"
        try "{\"text\": \"a\\nb\"}\n\n  \n{\"text\": \"é\", \"id\": 2}\r\n{\"text\": \"last, no newline\"}".write(
            toFile: path, atomically: true, encoding: .utf8)
        try expectSame(path)
        #expect(try CorpusStream(path: path).scan().unitCount == 3)
        #expect(try CorpusStream(path: path).countUnits() == 3)
    }

    @Test func skippedLinesMatchTheLoaderAndCountAsUnits() throws {
        let path = try TestEnvironment.temporaryDirectory() + "/c.jsonl"
        try "{\"text\": \"ok\"}\n[1]\n{\"text\": 3}\n{\"text\": \"fine\"}\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try expectSame(path, options: .init(skipBadLines: true))
        #expect(try CorpusStream(path: path).scan().unitCount == 4)
        let error = #expect(throws: WorkbenchError.self) { try streamed(path) }
        #expect(error?.message.hasPrefix("\(path):2: valid JSON but not an object (an array)") == true)
    }

    @Test func directoryAndPlainFileMatchTheLoader() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        for (name, text) in [("b.py", "print(1)\n"), ("a.py", "x = 2\n"), ("sub/c.txt", "hello"), ("d.md", "# no")] {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        try expectSame(directory, options: .init(glob: "*.py"))
        try expectSame(directory)
        try expectSame(directory + "/a.py")
        #expect(try CorpusStream(path: directory, options: .init(glob: "*.py")).scan().unitCount == 2)
        #expect(try CorpusStream(path: directory, options: .init(glob: "*.py")).countUnits() == 2)
    }

    @Test func linesLongerThanTheBufferAreWhole() throws {
        let path = try TestEnvironment.temporaryDirectory() + "/long.txt"
        let lines = ["short", String(repeating: "x", count: 10_000), "", String(repeating: "y", count: 4_097), "end"]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var reader = try LineReader(path: path, bufferBytes: 4096)
        defer { reader.close() }
        var read: [String] = []
        while let line = try reader.nextLine() { read.append(String(decoding: line, as: UTF8.self)) }
        #expect(read == lines)
    }

    @Test func unitRangesPartitionTheCorpusInOrder() throws {
        let path = try TestEnvironment.temporaryDirectory() + "/c.jsonl"
        let texts = (0..<10).map { "doc \($0)" }
        try texts.map { "{\"text\": \"\($0)\"}\n\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        var joined: [String] = []
        for rank in 0..<3 {
            let units = try ShardAssignment(rank: rank, worldSize: 3).units(of: 10)
            joined += try streamed(path, units: units).0.map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        #expect(joined == texts)
    }
}
