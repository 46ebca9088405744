import Foundation
import Testing
import WorkbenchCore

/// The identity, counting calls, with a batch path: what the measurement must use when offered.
final class CountingBatcher: BatchCompressor, @unchecked Sendable {
    let descriptor = CompressorDescriptor(id: "batcher", displayName: "Batcher", alphabetSize: 256)
    private let lock = NSLock()
    private(set) var singleCalls = 0
    private(set) var batchCalls: [Int] = []
    /// Documents whose bytes start with this fail to encode; decodes of them fail too.
    var failingPrefix: [UInt8] = Array("FAIL".utf8)

    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        lock.withLock { singleCalls += 1 }
        return try encodeOne(document)
    }

    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        lock.withLock { singleCalls += 1 }
        return try encoded.bytes(compressor: "batcher")
    }

    func encode(batch documents: [[UInt8]]) -> [Result<EncodedDocument, CodecError>] {
        lock.withLock { batchCalls.append(documents.count) }
        return documents.map { document in Result { () throws(CodecError) in try encodeOne(document) } }
    }

    func decode(batch encodings: [EncodedDocument], maxOutputBytes: [Int]) -> [Result<[UInt8], CodecError>] {
        lock.withLock { batchCalls.append(encodings.count) }
        return encodings.map { encoded in
            Result { () throws(CodecError) in
                let bytes = try encoded.bytes(compressor: "batcher")
                if bytes.starts(with: Array("LOSE".utf8)) { return Array(bytes.dropLast()) }
                return bytes
            }
        }
    }

    private func encodeOne(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        if document.starts(with: failingPrefix) {
            throw CodecError(.libraryFailure, compressor: "batcher", "cannot encode this one")
        }
        return EncodedDocument(bytes: document)
    }
}

@Suite struct BatchCompressorTests {
    static let documents = (0..<1000).map { CorpusDocument(bytes: Array("document \($0)\n".utf8), source: "c.jsonl:\($0 + 1)") }

    @Test func theMeasurementHandsABatchCompressorWholeBatches() throws {
        let compressor = CountingBatcher()
        let outcome = try RateMeasurement(passes: 2).run(compressor, on: Self.documents)
        #expect(outcome.roundTrip.failures == 0 && outcome.rate.rawBytes == Self.documents.reduce(0) { $0 + $1.bytes.count })
        // 1000 short documents fit one measurement batch: encode and decode, twice.
        #expect(compressor.batchCalls == [1000, 1000, 1000, 1000], "\(compressor.batchCalls)")
        #expect(compressor.singleCalls == 0)
        #expect(outcome.speed.encodeSeconds.count == 2 && outcome.speed.decodeSeconds.count == 2)
    }

    @Test func batchFailuresNameTheDocument() throws {
        let compressor = CountingBatcher()
        var documents = Self.documents
        documents[3] = CorpusDocument(bytes: Array("LOSE a byte".utf8), source: "c.jsonl:4")
        let outcome = try RateMeasurement(passes: 1).run(compressor, on: documents)
        #expect(outcome.roundTrip.failures == 1)
        #expect(outcome.roundTrip.firstFailure == "c.jsonl:4: decoded bytes differ from the original")
        documents[5] = CorpusDocument(bytes: Array("FAIL here".utf8), source: "c.jsonl:6")
        let error = #expect(throws: CodecError.self) { try RateMeasurement(passes: 1).run(compressor, on: documents) }
        #expect(error?.message == "c.jsonl:6: cannot encode this one")
    }

    @Test func helpersUseTheBatchPathOrFallBack() throws {
        let batcher = CountingBatcher()
        let inputs = [Array("a".utf8), Array("FAIL".utf8), []]
        let encoded = batcher.encodeDocuments(inputs)
        #expect(batcher.batchCalls == [3] && batcher.singleCalls == 0)
        #expect((try? encoded[0].get()) == EncodedDocument(bytes: Array("a".utf8)))
        #expect((try? encoded[1].get()) == nil)
        // A compressor without the capability gets one call per document, same results.
        let plain: any Compressor = Identity()
        let results = plain.encodeDocuments(inputs)
        #expect(try results.map { try $0.get() } == inputs.map { EncodedDocument(bytes: $0) })
        #expect(
            try plain.decodeDocuments(results.map { try $0.get() }, maxOutputBytes: [1, 4, 0]).map { try $0.get() } == inputs)
    }
}
