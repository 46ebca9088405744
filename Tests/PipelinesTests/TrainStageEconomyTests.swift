import Foundation
import Testing
import WorkbenchCore

@testable import Pipelines

/// What keeps a comparison's many runs cheap without changing a number: one encoding per
/// document across a model's runs, and a robust sample that spans the split.
struct TrainStageEconomyTests {
    /// Counts the documents it encodes (each document reversed, as symbols).
    final class CountingCompressor: Compressor, @unchecked Sendable {
        let descriptor = CompressorDescriptor(id: "counting", displayName: "Counting", alphabetSize: 256)
        private let lock = NSLock()
        private var calls = 0
        var encodeCalls: Int { lock.withLock { calls } }

        func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
            lock.withLock { calls += 1 }
            return EncodedDocument(
                bytes: document.reversed(), spans: [SymbolSpan(symbols: 0..<document.count, bytes: 0..<document.count)])
        }

        func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
            try encoded.bytes(compressor: id).reversed()
        }
    }

    @Test func memoEncodesEachDocumentOnceAndReturnsTheSameEncoding() throws {
        let base = CountingCompressor()
        let memo = MemoizingCompressor(base)
        let documents = (0..<40).map { Array("document \($0 % 10)\n".utf8) }
        var encodings: [EncodedDocument] = []
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for document in documents { _ = try? memo.encode(document) }
        }
        for document in documents { encodings.append(try memo.encode(document)) }
        // Ten distinct documents; concurrent first encodings of one document may each run once.
        #expect(memo.rememberedCount == 10)
        #expect(base.encodeCalls >= 10 && base.encodeCalls <= 40)
        let callsBefore = base.encodeCalls
        for document in documents { _ = try memo.encode(document) }
        #expect(base.encodeCalls == callsBefore)
        for (document, encoding) in zip(documents, encodings) { #expect(encoding == (try base.encode(document))) }
        #expect(memo.descriptor == base.descriptor)
        #expect(try memo.decode(encodings[3], maxOutputBytes: 100) == documents[3])
    }

    @Test func memoStopsRememberingAtItsCapacity() throws {
        let base = CountingCompressor()
        // Each 100-byte document costs 100 (symbols) + 100 (its key) + one span.
        let memo = MemoizingCompressor(base, capacityBytes: 3 * (200 + MemoryLayout<SymbolSpan>.stride))
        let documents = (0..<5).map { [UInt8](repeating: UInt8($0), count: 100) }
        for document in documents { _ = try memo.encode(document) }
        #expect(memo.rememberedCount == 3)
        for document in documents { _ = try memo.encode(document) }
        // The first three come from the memo; the last two are encoded again.
        #expect(base.encodeCalls == 5 + 2)
    }

    @Test func robustSampleTakesWholeLinesFromTheMiddleOfEveryDocument() {
        let lines = (0..<200).map { "line \($0) of the document\n" }
        let documents = [Array(lines.joined().utf8), Array(lines.prefix(3).joined().utf8), Array("short".utf8)]
        let sample = RobustStage.sample(documents, bytes: 900)
        #expect(sample.count == 3)
        // The long document: a share of whole lines, from its middle.
        let long = String(decoding: sample[0], as: UTF8.self)
        #expect(sample[0].count <= 300 && sample[0].count > 200)
        #expect(long.hasPrefix("line ") && long.hasSuffix("\n"))
        #expect(!long.contains("line 0 of") && !long.contains("line 199 of"))
        #expect(long.contains("line 100 of") || long.contains("line 99 of"))
        // Documents within their share are kept whole.
        #expect(sample[1] == documents[1] && sample[2] == documents[2])
        // 0, or a size the split does not exceed: everything.
        #expect(RobustStage.sample(documents, bytes: 0) == documents)
        #expect(RobustStage.sample(documents, bytes: 1 << 30) == documents)
    }
}
