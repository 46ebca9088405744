import Testing
import WorkbenchCore

/// The one definition of valid spans, used by the external-plugin host and the conformance suite.
@Suite struct SpanValidationTests {
    func spans(_ ranges: [(Int, Int, Int, Int)]) -> [SymbolSpan] {
        ranges.map { SymbolSpan(symbols: $0.0..<$0.1, bytes: $0.2..<$0.3) }
    }

    @Test func validSpansPass() {
        let encoded = EncodedDocument(symbols: [7, 8, 9], spans: spans([(0, 2, 0, 5), (2, 3, 5, 6)]))
        #expect(encoded.spanProblem(documentByteCount: 6) == nil)
        #expect(EncodedDocument(symbols: [], spans: []).spanProblem(documentByteCount: 0) == nil)
        #expect(EncodedDocument(symbols: [1]).spanProblem(documentByteCount: 1) == nil, "no spans: nothing to check")
    }

    @Test(
        arguments: [
            (
                "a gap", [(0, 1, 0, 1), (2, 3, 2, 3)], 3, 3,
                "span 1 [symbols 2..<3, bytes 2..<3] does not start where the spans before it end (symbol 1, byte 1)"
            ),
            ("swapped", [(1, 2, 1, 2), (0, 1, 0, 1)], 2, 2, "span 0 [symbols 1..<2, bytes 1..<2] does not start where"),
            ("zero bytes", [(0, 1, 0, 0), (1, 2, 0, 2)], 2, 2, "span 0 [symbols 0..<1, bytes 0..<0] is empty"),
            ("zero symbols", [(0, 0, 0, 1), (0, 2, 1, 2)], 2, 2, "span 0 [symbols 0..<0, bytes 0..<1] is empty"),
            (
                "short of the end", [(0, 1, 0, 1)], 2, 2,
                "the spans end at symbol 1 and byte 1, but the encoding has 2 symbols and the document 2 bytes"
            ),
            ("past the end", [(0, 3, 0, 1)], 2, 1, "the spans end at symbol 3 and byte 1, but the encoding has 2 symbols"),
            ("none for a document", [], 1, 1, "the spans end at symbol 0 and byte 0"),
        ] as [(String, [(Int, Int, Int, Int)], Int, Int, String)])
    func brokenSpansAreNamed(_ name: String, _ ranges: [(Int, Int, Int, Int)], _ symbols: Int, _ bytes: Int, _ expected: String) {
        let encoded = EncodedDocument(symbols: Array(repeating: 1, count: symbols), spans: spans(ranges))
        let problem = encoded.spanProblem(documentByteCount: bytes)
        #expect(problem?.contains(expected) == true, "\(name): \(String(describing: problem))")
    }
}
