extension EncodedDocument {
    /// What is wrong with the spans of this encoding of a `documentByteCount`-byte document, or
    /// nil when they keep the promise every compressor that gives spans makes.
    ///
    /// The promise: spans are in order and contiguous, each covers at least one symbol and at
    /// least one byte, and together they cover every symbol and every byte (an empty document
    /// has no spans). Non-empty because every in-tree compressor's spans are (a BPE token, an
    /// `ac` window, a byte's sub-byte symbols), and because a span of zero bytes or zero symbols
    /// would give the collision statistics a symbol that stands for nothing, or bytes that no
    /// symbol stands for. Nil spans (the compressor gives none) are not checked here.
    /// - Complexity: O(number of spans).
    public func spanProblem(documentByteCount: Int) -> String? {
        guard let spans else { return nil }
        var nextSymbol = 0
        var nextByte = 0
        for (index, span) in spans.enumerated() {
            let shown =
                "span \(index) [symbols \(span.symbols.lowerBound)..<\(span.symbols.upperBound), "
                + "bytes \(span.bytes.lowerBound)..<\(span.bytes.upperBound)]"
            guard span.symbols.lowerBound == nextSymbol, span.bytes.lowerBound == nextByte else {
                return "\(shown) does not start where the spans before it end (symbol \(nextSymbol), byte \(nextByte)): "
                    + "spans must be in order and leave no gap"
            }
            guard !span.symbols.isEmpty, !span.bytes.isEmpty else {
                return "\(shown) is empty: every span covers at least one symbol and one byte"
            }
            nextSymbol = span.symbols.upperBound
            nextByte = span.bytes.upperBound
        }
        guard nextSymbol == symbolCount, nextByte == documentByteCount else {
            return "the spans end at symbol \(nextSymbol) and byte \(nextByte), but the encoding has \(symbolCount) symbols "
                + "and the document \(documentByteCount) bytes: spans must cover every symbol and byte"
        }
        return nil
    }
}
