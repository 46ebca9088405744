import Conformance
import Testing
import WorkbenchCore

/// The cases catch what they promise to catch: each is run on a compressor broken in one way.
@Suite struct ConformanceCaseTests {
    /// The identity (alphabet 256), broken as `flaw` says.
    struct Flawed: Compressor {
        enum Flaw: Sendable { case none, gapInSpans, emptySpan, ignoresTheBound, dropsALongDocumentsLastByte }
        var flaw: Flaw
        var descriptor: CompressorDescriptor {
            CompressorDescriptor(
                id: "flawed", displayName: "Flawed", alphabetSize: 256, givesSpans: flaw == .gapInSpans || flaw == .emptySpan)
        }

        func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
            var spans = document.indices.map { SymbolSpan(symbols: $0..<($0 + 1), bytes: $0..<($0 + 1)) }
            switch flaw {
            case .gapInSpans where spans.count > 2: spans.remove(at: 1)
            case .emptySpan:
                spans.append(SymbolSpan(symbols: document.count..<document.count, bytes: document.count..<document.count))
            default: break
            }
            return EncodedDocument(bytes: document, spans: descriptor.givesSpans ? spans : nil)
        }

        func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
            var bytes = try encoded.bytes(compressor: "flawed")
            if flaw != .ignoresTheBound, bytes.count > maxOutputBytes {
                throw CodecError(.outputLimitExceeded, compressor: "flawed", "\(bytes.count) bytes, more than \(maxOutputBytes)")
            }
            if flaw == .dropsALongDocumentsLastByte, bytes.count > 50_000 { bytes.removeLast() }
            return bytes
        }
    }

    static func failures(_ flaw: Flawed.Flaw, _ name: String) throws -> [String] {
        let conformanceCase = try #require(ConformanceSuite.cases.first { $0.name == name }, "no case named \(name)")
        let subject = ConformanceSubject(
            spec: CompressorSpec(id: "flawed"), sampleDocuments: [Array("def f(x):\n    return x\n".utf8)]
        ) {
            Flawed(flaw: flaw)
        }
        return conformanceCase.run(on: subject).failures
    }

    @Test func aSoundCompressorPassesEveryCase() {
        let subject = ConformanceSubject(spec: CompressorSpec(id: "flawed"), sampleDocuments: [Array("x = 1\n".utf8)]) {
            Flawed(flaw: .none)
        }
        for outcome in ConformanceSuite.run(subject) {
            #expect(outcome.passed, "\(outcome.caseName): \(outcome.failures)")
        }
    }

    @Test func spansWithAGapOrAnEmptySpanFail() throws {
        let gap = try Self.failures(.gapInSpans, "fixed inputs round-trip")
        #expect(
            gap.contains { $0.contains("all 256 byte values: span 1 [symbols 2..<3, bytes 2..<3] does not start where") },
            "\(gap)")
        let empty = try Self.failures(.emptySpan, "fixed inputs round-trip")
        #expect(empty.contains { $0.contains("empty: span 0 [symbols 0..<0, bytes 0..<0] is empty") }, "\(empty)")
    }

    @Test func ignoringTheBoundFails() throws {
        let failures = try Self.failures(.ignoresTheBound, "decode bound")
        #expect(failures.contains { $0.contains("decode: 12 bytes decode within a bound of 11") }, "\(failures)")
    }

    @Test func losingALongDocumentsLastByteFails() throws {
        let failures = try Self.failures(.dropsALongDocumentsLastByte, "fixed inputs round-trip")
        #expect(failures.contains { $0.contains("100 KB of 'a': the round trip differs") }, "\(failures)")
        #expect(try Self.failures(.dropsALongDocumentsLastByte, "sample documents round-trip").isEmpty)
    }
}
