import Foundation
import Testing
import WorkbenchCore

@Suite struct SymbolUsageTests {
    @Test func uniformAndSkewedUsage() {
        let uniform = SymbolUsage(encodings: [[0, 1, 2, 3], [0, 1, 2, 3]], alphabetSize: 4)
        #expect(uniform.valuesUsed == 4 && uniform.symbols == 8)
        #expect(uniform.entropyBits == 2)
        #expect(uniform.normalizedEntropy == 1)
        #expect(uniform.bitsFromUniform == 0)
        let skewed = SymbolUsage(encodings: [[7, 7, 7, 7]], alphabetSize: 256)
        #expect(skewed.entropyBits == 0)
        #expect(skewed.bitsFromUniform == 8)
        let half = SymbolUsage(encodings: [[0, 0, 1, 1]], alphabetSize: 16)
        #expect(half.entropyBits == 1)
        #expect(half.normalizedEntropy == 0.25)
    }
}

@Suite struct CollisionTests {
    func span(_ symbol: Int, _ bytes: Range<Int>) -> SymbolSpan { SymbolSpan(symbols: symbol..<(symbol + 1), bytes: bytes) }

    /// Symbol 5 stands for "ab " and "ab\n" (prefix 2 of mean length 3), symbol 9 always for "x",
    /// symbol 4 for "qq", "qr" and "zz" (no common prefix).
    @Test func handMadeExample() throws {
        let document = Array("ab x ab\nqqqrzz".utf8)
        let encoded = EncodedDocument(
            symbols: [5, 9, 9, 5, 4, 4, 4],
            spans: [
                span(0, 0..<3), span(1, 3..<4), span(2, 4..<4), span(3, 5..<8), span(4, 8..<10), span(5, 10..<12),
                span(6, 12..<14),
            ])
        // The empty span for symbol 9 makes it stand for "x" and "": a collision too.
        let stats = CollisionStatistics(documents: [document], encodings: [encoded])
        #expect(stats.valuesSeen == 3)
        #expect(stats.collidingValues == 3)
        #expect(stats.collidingValueShare == 1)
        #expect(stats.stringsPerValueHistogram == [0, 2, 1, 0, 0, 0])
        let largest = try #require(stats.examples["largest"])
        #expect(largest.symbol == 4 && largest.distinctStrings == 3 && largest.commonPrefixBytes == 0)
        let highest = try #require(stats.examples["highest_common_prefix"])
        #expect(highest.symbol == 5 && highest.commonPrefixBytes == 2)
        #expect(abs(highest.commonPrefixShare - 2.0 / 3.0) < 1e-12)
        #expect(highest.strings == [Array("ab\n".utf8), Array("ab ".utf8)])
    }

    @Test func injectiveCodeHasNoCollisionsAndMultiSymbolSpansAreSkipped() {
        let document = Array("abab".utf8)
        let tokens = EncodedDocument(symbols: [1, 1], spans: [span(0, 0..<2), span(1, 2..<4)])
        let stats = CollisionStatistics(documents: [document], encodings: [tokens])
        #expect(stats.valuesSeen == 1 && stats.collidingValues == 0 && stats.examples.isEmpty)
        #expect(stats.stringsPerValueHistogram == [1, 0, 0, 0, 0, 0])
        let nibbles = EncodedDocument(symbols: [6, 1], spans: [SymbolSpan(symbols: 0..<2, bytes: 0..<1)])
        #expect(CollisionStatistics(documents: [[0x61]], encodings: [nibbles]).multiSymbolSpansSkipped == 1)
    }
}

@Suite struct PerturbationTests {
    let text = Array(
        "def compute_total(values):\n    total = 0\n    for value in values:\n        total += value\n    return total\n".utf8)

    @Test func deleteTenPercentRemovesATenthOfTheCharacters() {
        var generator = SplitMix64(seed: 1)
        let perturbed = Perturbation.deleteTenPercent.apply(to: Array("héllo wörld, 20 chars".utf8), using: &generator)
        let before = "héllo wörld, 20 chars".unicodeScalars.count
        #expect(String(decoding: perturbed, as: UTF8.self).unicodeScalars.count == before - before / 10)
        #expect(String(validating: perturbed, as: UTF8.self) != nil)  // never splits a character
    }

    @Test func insertSpaceAddsExactlyOneSpace() {
        var generator = SplitMix64(seed: 2)
        let perturbed = Perturbation.insertSpace.apply(to: text, using: &generator)
        #expect(perturbed.count == text.count + 1)
        #expect(perturbed.filter { $0 == 0x20 }.count == text.filter { $0 == 0x20 }.count + 1)
    }

    @Test func renameIdentifierChangesOneIdentifierKeepingLength() {
        var generator = SplitMix64(seed: 3)
        let perturbed = Perturbation.renameIdentifier.apply(to: text, using: &generator)
        #expect(perturbed.count == text.count)
        let changed = zip(perturbed, text).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        let changedRange = (changed.first ?? 0)...(changed.last ?? 0)
        #expect(!changed.isEmpty)
        #expect(text[changedRange].allSatisfy { $0 == 0x5F || ($0 >= 0x61 && $0 <= 0x7A) })
    }

    @Test func reindentAddsFourSpacesPerLine() {
        var generator = SplitMix64(seed: 4)
        let perturbed = Perturbation.reindentBlock.apply(to: text, using: &generator)
        #expect((perturbed.count - text.count) % 4 == 0 && perturbed.count > text.count)
        #expect(
            String(decoding: perturbed, as: UTF8.self).replacingOccurrences(of: " ", with: "")
                == String(decoding: text, as: UTF8.self).replacingOccurrences(of: " ", with: ""))
    }

    @Test func binaryDocumentsAreEditedAsBytes() {
        var generator = SplitMix64(seed: 5)
        let binary: [UInt8] = (0..<100).map { UInt8(255 - $0) }
        #expect(Perturbation.deleteTenPercent.apply(to: binary, using: &generator).count == 90)
    }
}

@Suite struct StabilityTests {
    struct Identity: Compressor {
        var descriptor = CompressorDescriptor(id: "identity", displayName: "Identity", alphabetSize: 256)
        func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument { EncodedDocument(bytes: document) }
        func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] { [] }
    }

    /// Under the identity, inserting one space into a 100-byte text moves the output by exactly
    /// one edit in 101 symbols.
    @Test func identityMovesByTheEditItself() throws {
        let sample = [[UInt8](repeating: UInt8(ascii: "a"), count: 100)]
        let perturbed = Stability.perturbations(of: sample, seed: 9)
        let summary = try Stability.measure(Identity(), sample: sample, perturbed: perturbed)
        #expect(summary[.insertSpace]?.mean == 1.0 / 101.0)
        #expect(summary[.deleteTenPercent]?.mean == 10.0 / 100.0)
        #expect(summary[.insertSpace]?.standardDeviation == 0)
    }

    @Test func sampleIsSeededAndTruncated() {
        let documents = (0..<50).map { [UInt8](repeating: UInt8($0), count: 300) }
        let a = Stability.sample(documents, count: 5, maxBytes: 100, seed: 42)
        #expect(a == Stability.sample(documents, count: 5, maxBytes: 100, seed: 42))
        #expect(a.count == 5 && a.allSatisfy { $0.count == 100 })
        #expect(a != Stability.sample(documents, count: 5, maxBytes: 100, seed: 43))
    }
}
