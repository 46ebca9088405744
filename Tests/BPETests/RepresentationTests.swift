import BPEPlugin
import Testing
import WorkbenchCore

@Suite struct RepresentationTests {
    static let trained: BPETokenizer? = {
        let documents = Array(BPETestSupport.documents(.train).prefix(20))
        return (try? BPETrainer(vocabularySize: 1000, preTokenizer: .gpt2).train(documents)).map(BPETokenizer.init)
    }()

    static var tokenizer: BPETokenizer {
        get throws { try #require(trained, "training on the shipped corpus failed") }
    }

    static func compressor(_ representation: BPERepresentation) throws -> BPECompressor {
        try BPECompressor(tokenizer: Self.tokenizer, representation: representation, options: [:])
    }

    @Test(arguments: BPERepresentation.allCases)
    func roundTripsWithOneSpanPerToken(_ representation: BPERepresentation) throws {
        let compressor = try Self.compressor(representation)
        let inputs = Array(BPETestSupport.documents(.valid).prefix(3)) + [[], [0], Array("héllo wörld\n".utf8), [0xff, 0xfe]]
        for input in inputs {
            let encoded = try compressor.encode(input)
            let spans = try #require(encoded.spans)
            let ids = try Self.tokenizer.encode(input)
            #expect(spans.count == ids.count)
            #expect(encoded.symbols.count == ids.count * representation.symbolsPerToken)
            for (span, id) in zip(spans, ids) {
                #expect(Array(input[span.bytes]) == (try Self.tokenizer.model.tokens[Int(id)]))
            }
            #expect(try compressor.decode(encoded, maxOutputBytes: input.count) == input)
            #expect(encoded.symbols.allSatisfy { Int($0) < compressor.descriptor.alphabetSize })
        }
    }

    @Test func grayCodesOfNeighbouringTokensDifferInOneBit() throws {
        let compressor = try Self.compressor(.gray)
        let tokens = try Self.tokenizer.model.tokens
        let sorted = tokens.indices.sorted { tokens[$0].lexicographicallyPrecedes(tokens[$1]) }
        var codes: [UInt32] = []
        for id in sorted {
            let encoded = try compressor.encode(tokens[id])
            // A whole token may encode as itself; only single-token encodings say its code.
            if encoded.symbols.count == 2 { codes.append(encoded.symbols[0] << 8 | encoded.symbols[1]) }
        }
        #expect(codes.count > 100)
        for rank in 0..<1000 {
            let code = BPERepresentation.grayCode(UInt32(rank))
            #expect(BPERepresentation.rank(ofGrayCode: code) == UInt32(rank))
            #expect((code ^ BPERepresentation.grayCode(UInt32(rank + 1))).nonzeroBitCount == 1)
        }
    }

    @Test(arguments: BPERepresentation.allCases)
    func rejectsCorruptStreams(_ representation: BPERepresentation) throws {
        let compressor = try Self.compressor(representation)
        let vocabulary = UInt32(try Self.tokenizer.vocabularySize)
        var bad: [[UInt32]] = []
        switch representation {
        case .ids: bad = [[vocabulary], [0, UInt32.max]]
        case .bytes: bad = [[0], [0, 256], [UInt32(vocabulary >> 8), 0xFF], [0xFF, 0xFF]]
        case .gray: bad = [[0], [256, 0], [0xFF, 0xFF]]
        }
        for symbols in bad {
            #expect(throws: CodecError.self, "\(symbols)") {
                try compressor.decode(EncodedDocument(symbols: symbols), maxOutputBytes: 1 << 20)
            }
        }
        let input = Array("hello hello hello".utf8)
        let encoded = try compressor.encode(input)
        let error = #expect(throws: CodecError.self) { try compressor.decode(encoded, maxOutputBytes: input.count - 1) }
        #expect(error?.kind == .outputLimitExceeded)
    }
}
