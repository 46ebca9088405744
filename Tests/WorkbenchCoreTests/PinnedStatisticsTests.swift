import Foundation
import Testing
import WorkbenchCore

/// Statistics pinned to values computed by hand or by an independent implementation in the test,
/// on several documents (the range checks elsewhere cannot catch a wrong formula).
@Suite struct PinnedStatisticsTests {
    /// The identity compressor: symbols are the bytes, so edit distances are byte edit distances.
    struct Identity: Compressor {
        var descriptor: CompressorDescriptor { CompressorDescriptor(id: "identity", displayName: "identity", alphabetSize: 256) }
        func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
            EncodedDocument(symbols: document.map(UInt32.init))
        }
        func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
            encoded.symbols.map { UInt8(truncatingIfNeeded: $0) }
        }
    }

    static let sample: [[UInt8]] = [
        "def area(width, height):\n    total = width * height\n    return total\n",
        "for index in range(10):\n    print(index)\n    if index > 5:\n        break\n",
        "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n",
    ].map { Array($0.utf8) }

    /// Plain O(n·m) Levenshtein distance, independent of the bit-parallel one under test.
    static func levenshtein(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    @Test func stabilityEqualsTheEditDistanceOfEachPerturbation() throws {
        let perturbed = Stability.perturbations(of: Self.sample, seed: 11)
        let summaries = try Stability.measure(Identity(), sample: Self.sample, perturbed: perturbed)
        for perturbation in Perturbation.allCases {
            let copies = try #require(perturbed[perturbation])
            let distances = zip(Self.sample, copies).map { original, copy in
                Double(Self.levenshtein(original, copy)) / Double(max(original.count, copy.count))
            }
            let summary = try #require(summaries[perturbation])
            #expect(summary.documents == 3)
            #expect(abs(summary.mean - distances.reduce(0, +) / 3) < 1e-12, "\(perturbation)")
            #expect(summary.minimum == distances.min() && summary.maximum == distances.max())
        }
        // What each edit is, by construction: one space inserted (distance 1), deletions and
        // indentation only remove or add bytes (distance = the length difference).
        for (original, copy) in zip(Self.sample, try #require(perturbed[.insertSpace])) {
            #expect(copy.count == original.count + 1 && Self.levenshtein(original, copy) == 1)
        }
        for perturbation in [Perturbation.deleteTenPercent, .reindentBlock] {
            for (original, copy) in zip(Self.sample, try #require(perturbed[perturbation])) {
                #expect(Self.levenshtein(original, copy) == abs(copy.count - original.count), "\(perturbation)")
            }
        }
        for (original, copy) in zip(Self.sample, try #require(perturbed[.renameIdentifier])) {
            #expect(copy.count == original.count && copy != original)
        }
    }

    @Test func everyCollisionFieldOnAHandBuiltExample() throws {
        // Symbol 7 stands for "ab" (x2) and "ac": 2 strings, prefix "a". Symbol 8 for "x", "xyz"
        // and "xyw": 3 strings, prefix "x". Symbol 9 only for "q" (x2). One two-symbol span is
        // skipped.
        let document = Array("abacabxxyzxyw qqzz".utf8)
        let spans: [(symbol: UInt32, bytes: Range<Int>)] = [
            (7, 0..<2), (7, 2..<4), (7, 4..<6), (8, 6..<7), (8, 7..<10), (8, 10..<13), (9, 14..<15), (9, 15..<16),
        ]
        var symbols = spans.map(\.symbol)
        var symbolSpans = spans.enumerated().map { SymbolSpan(symbols: $0.offset..<($0.offset + 1), bytes: $0.element.bytes) }
        symbols += [5, 6]
        symbolSpans.append(SymbolSpan(symbols: 8..<10, bytes: 16..<18))
        // "abacab" is "ab", "ac", "ab".
        let statistics = CollisionStatistics(
            documents: [document], encodings: [EncodedDocument(symbols: symbols, spans: symbolSpans)])
        #expect(statistics.valuesSeen == 3)
        #expect(statistics.collidingValues == 2)
        #expect(abs(statistics.collidingValueShare - 2.0 / 3.0) < 1e-12)
        #expect(abs(statistics.collidingOccurrenceShare - 6.0 / 8.0) < 1e-12)
        #expect(statistics.stringsPerValueHistogram == [1, 1, 1, 0, 0, 0])
        #expect(statistics.meanCommonPrefixBytes == 1)
        // Prefix shares: 1 / mean("ab","ac") = 1/2; 1 / mean("x","xyz","xyw") = 1 / (7/3) = 3/7.
        #expect(abs((statistics.meanCommonPrefixShare ?? 0) - (0.5 + 3.0 / 7.0) / 2) < 1e-12)
        #expect(statistics.multiSymbolSpansSkipped == 1)
        let largest = try #require(statistics.examples["largest"])
        #expect(largest.symbol == 8 && largest.distinctStrings == 3 && largest.occurrences == 3)
        #expect(largest.strings == ["x", "xyw", "xyz"].map { Array($0.utf8) })
        let smallest = try #require(statistics.examples["smallest"])
        #expect(smallest.symbol == 7 && smallest.occurrences == 3 && smallest.strings == [Array("ab".utf8), Array("ac".utf8)])
        #expect(statistics.examples["highest_common_prefix"]?.symbol == 7)
        #expect(statistics.examples["lowest_common_prefix"]?.symbol == 8)
        #expect(abs((statistics.examples["lowest_common_prefix"]?.commonPrefixShare ?? 0) - 3.0 / 7.0) < 1e-12)
    }
}
