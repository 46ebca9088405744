import Testing
import WorkbenchCore

@testable import ProxyTrainer

@Suite struct ProxyCorpusTests {
    static let documents = (0..<200).map { index in Array("document \(index) with some text\n".utf8) }

    static func packer(_ corpus: ProxyCorpus) throws -> SequencePacker {
        try SequencePacker(
            documents: corpus, schedule: .constant(rate: 0.9, mode: .sentinel, totalSteps: 10), sequenceLength: 64,
            extraHead: false, seed: 1)
    }

    @Test func onlyWhatTheStreamReachesIsCompressed() throws {
        let vocabulary = try ProxyVocabulary(descriptor: Dibits().descriptor, sharedByteEmbedding: false)
        let corpus = ProxyCorpus(documents: Self.documents, compressor: Dibits(), vocabulary: vocabulary)
        var packer = try Self.packer(corpus)
        _ = try packer.nextBatch(step: 0, batchSize: 1)
        #expect(corpus.compressedCount > 0)
        #expect(corpus.compressedCount <= 2 * (ProxyCorpus.prefetch + 1))
    }

    @Test func lazyCompressionGivesTheStreamOfEagerCompression() throws {
        let vocabulary = try ProxyVocabulary(descriptor: Dibits().descriptor, sharedByteEmbedding: false)
        let lazy = ProxyCorpus(documents: Self.documents, compressor: Dibits(), vocabulary: vocabulary)
        let eager = try Self.documents.map { document in
            ProxyDocument(
                raw: document.map(ProxyVocabulary.byteID),
                compressed: vocabulary.ids(ofSymbols: try Dibits().encode(document).symbols))
        }
        var fromLazy = try Self.packer(lazy)
        var fromEager = try SequencePacker(
            documents: eager, schedule: .constant(rate: 0.9, mode: .sentinel, totalSteps: 10), sequenceLength: 64,
            extraHead: false, seed: 1)
        for step in 0..<10 {
            #expect(try fromLazy.nextBatch(step: step, batchSize: 4) == fromEager.nextBatch(step: step, batchSize: 4))
        }
        #expect(fromLazy.state == fromEager.state)
    }

    @Test func aFailingCompressorNamesTheDocument() throws {
        struct Failing: Compressor {
            var descriptor = CompressorDescriptor(id: "failing", displayName: "Failing", alphabetSize: 4)
            func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
                throw CodecError(.libraryFailure, compressor: "failing", "cannot")
            }
            func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] { [] }
        }
        let vocabulary = try ProxyVocabulary(descriptor: Failing().descriptor, sharedByteEmbedding: false)
        var packer = try Self.packer(ProxyCorpus(documents: Self.documents, compressor: Failing(), vocabulary: vocabulary))
        #expect { try packer.nextBatch(step: 0, batchSize: 1) } throws: { error in
            (error as? CodecError)?.message.contains("training document") == true
        }
    }
}
