/// A hand-written matcher for GPT-2's split pattern, equivalent to the regular expression
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` run as a
/// leftmost-first alternation (Oniguruma, as in HuggingFace tokenizers).
///
/// Subtle: `\s+(?!\S)` backtracks one scalar when the whitespace run is followed by a
/// non-space, so the run's last scalar can join the next word (`" foo"`); when the run is a single
/// scalar, `\s+` takes it alone. Only a space (U+0020) may prefix a word.
@usableFromInline enum GPT2Split {
    @inlinable @inline(__always)
    static func cls(
        _ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ ascii: UnsafeBufferPointer<ScalarClass>
    )
        -> (ScalarClass, Int)
    {
        let (raw, length) = ScalarReader.read(bytes, offset, ascii)
        // GPT-2 knows only letters, numbers, whitespace and the rest.
        switch raw {
        case .newline: return (.whitespace, length)
        case .wordMark: return (.other, length)
        case .numberNotWord: return (.number, length)
        default: return (raw, length)
        }
    }

    /// The end of the run of scalars of class `target` starting at `offset`.
    @inlinable @inline(__always)
    static func runEnd(
        _ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ target: ScalarClass, _ ascii: UnsafeBufferPointer<ScalarClass>
    ) -> Int {
        var position = offset
        while position < bytes.count {
            let (kind, length) = cls(bytes, position, ascii)
            if kind != target { break }
            position += length
        }
        return position
    }

    @inlinable
    static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ ascii: UnsafeBufferPointer<ScalarClass>) -> Int {
        let count = bytes.count
        let lead = bytes[start]
        if lead == UInt8(ascii: "'"), start + 1 < count {
            let second = bytes[start + 1]
            switch second {
            case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
                return start + 2
            case UInt8(ascii: "r"), UInt8(ascii: "v"):
                if start + 2 < count, bytes[start + 2] == UInt8(ascii: "e") { return start + 3 }
            case UInt8(ascii: "l"):
                if start + 2 < count, bytes[start + 2] == UInt8(ascii: "l") { return start + 3 }
            default: break
            }
        }
        let (kind, length) = cls(bytes, start, ascii)
        if lead == 0x20, start + 1 < count {
            let (nextKind, _) = cls(bytes, start + 1, ascii)
            if nextKind != .whitespace { return runEnd(bytes, start + 1, nextKind, ascii) }
        }
        if kind != .whitespace { return runEnd(bytes, start + length, kind, ascii) }
        // Whitespace: the run, less its last scalar when a non-space follows and the run has two or more.
        var position = start + length
        var lastStart = start
        while position < count {
            let (nextKind, nextLength) = cls(bytes, position, ascii)
            if nextKind != .whitespace { break }
            lastStart = position
            position += nextLength
        }
        if position == count || lastStart == start { return position }
        return lastStart
    }
}
