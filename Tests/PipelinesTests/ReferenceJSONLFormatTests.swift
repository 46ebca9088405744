import Builtins
import Foundation
import Pipelines
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// The reference JSONL export names no plugin: what each compressor writes comes from the
/// compressor (`ReferenceJSONLConvertible`) or the generic field.
@Suite struct ReferenceJSONLFormatTests {
    func format(_ spec: String) throws -> ReferenceJSONLFormat {
        let compressor = try Builtins.registry.makeCompressor(try CompressorSpec(parsing: spec))
        let directory = try TestEnvironment.temporaryDirectory(prefix: "reference-jsonl")
        let path = directory + "/c.jsonl"
        try "{\"text\": \"x = 1\\n\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let stream = try CorpusStream(path: path)
        let info = try CorpusInfo(stream, given: nil, background: false, recorded: true)
        return ReferenceJSONLFormat(compressor: compressor, corpus: .init(name: "c", info: info, split: .all))
    }

    @Test func gzipAddsNoFieldBecauseTheReferenceCompressesOnTheFly() throws {
        let record = try format("gzip").record(CorpusDocument(bytes: Array("x = 1\n".utf8), source: "d"))
        #expect(String(decoding: record.payload, as: UTF8.self) == "{\"text\":\"x = 1\\n\"}\n")
        #expect(record.symbols == 0)
    }

    @Test func byteValuedCompressorsWithoutAReaderGetBase64() throws {
        let format = try format("bytes")
        #expect(format.field.name == "bytes_base64")
        let record = try format.record(CorpusDocument(bytes: Array("hi".utf8), source: "d"))
        #expect(String(decoding: record.payload, as: UTF8.self) == "{\"text\":\"hi\",\"bytes_base64\":\"aGk=\"}\n")
        #expect(record.symbols == 2)
    }

    @Test func wideAlphabetsWithoutAReaderGetSymbolArrays() throws {
        let format = try format("bytepairs")
        #expect(format.field.name == "bytepairs_symbols")
        let record = try format.record(CorpusDocument(bytes: [0x01, 0x02], source: "d"))
        #expect(String(decoding: record.payload, as: UTF8.self) == "{\"text\":\"\\u0001\\u0002\",\"bytepairs_symbols\":[258]}\n")
    }

    @Test func documentsThatAreNotUTF8AreRefusedWithTheirSource() throws {
        let error = #expect(throws: WorkbenchError.self) {
            try format("bytes").record(CorpusDocument(bytes: [0xFF], source: "corpus.jsonl:3"))
        }
        #expect(error?.message.hasPrefix("corpus.jsonl:3: not valid UTF-8") == true)
    }
}
