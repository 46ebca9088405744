/// A hand-written matcher for the cl100k (GPT-4) split pattern, leftmost-first as tiktoken runs it:
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
///
/// Subtle: `\s*[\r\n]+` ends after the last CR or LF of the whitespace run, so indentation after a
/// newline starts the next word; `\p{N}{1,3}` cuts digit runs into threes from the left.
@usableFromInline enum CL100kSplit {
    @inlinable @inline(__always)
    static func cls(
        _ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ ascii: UnsafeBufferPointer<ScalarClass>
    )
        -> (ScalarClass, Int)
    {
        let (raw, length) = ScalarReader.read(bytes, offset, ascii)
        switch raw {
        case .wordMark: return (.other, length)
        case .numberNotWord: return (.number, length)
        default: return (raw, length)
        }
    }

    @inlinable @inline(__always)
    static func isSpace(_ kind: ScalarClass) -> Bool { kind == .whitespace || kind == .newline }

    @inlinable @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte | 0x20 }

    @inlinable
    static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ ascii: UnsafeBufferPointer<ScalarClass>) -> Int {
        let count = bytes.count
        let lead = bytes[start]
        if lead == UInt8(ascii: "'"), start + 1 < count {
            let second = lower(bytes[start + 1])
            switch second {
            case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
                return start + 2
            case UInt8(ascii: "r"), UInt8(ascii: "v"):
                if start + 2 < count, lower(bytes[start + 2]) == UInt8(ascii: "e") { return start + 3 }
            case UInt8(ascii: "l"):
                if start + 2 < count, lower(bytes[start + 2]) == UInt8(ascii: "l") { return start + 3 }
            default: break
            }
        }
        let (kind, length) = cls(bytes, start, ascii)
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if kind == .letter { return GPT2Split.runEnd(bytes, start + length, .letter, ascii) }
        if kind != .newline, kind != .number, start + length < count {
            let (nextKind, nextLength) = cls(bytes, start + length, ascii)
            if nextKind == .letter {
                return GPT2Split.runEnd(bytes, start + length + nextLength, .letter, ascii)
            }
        }
        // \p{N}{1,3}
        if kind == .number {
            var position = start + length
            for _ in 0..<2 where position < count {
                let (nextKind, nextLength) = cls(bytes, position, ascii)
                if nextKind != .number { break }
                position += nextLength
            }
            return position
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var otherStart = -1
        if kind == .other {
            otherStart = start
        } else if lead == 0x20, start + 1 < count, cls(bytes, start + 1, ascii).0 == .other {
            otherStart = start + 1
        }
        if otherStart >= 0 {
            var position = GPT2Split.runEnd(bytes, otherStart, .other, ascii)
            while position < count, bytes[position] == 0x0D || bytes[position] == 0x0A { position += 1 }
            return position
        }
        // Whitespace alternatives: find the run and its last CR/LF.
        var position = start
        var lastScalarStart = start
        var afterLastNewline = -1
        while position < count {
            let (nextKind, nextLength) = cls(bytes, position, ascii)
            if !isSpace(nextKind) { break }
            if nextKind == .newline { afterLastNewline = position + nextLength }
            lastScalarStart = position
            position += nextLength
        }
        if afterLastNewline >= 0 { return afterLastNewline }  // \s*[\r\n]+
        if position == count || lastScalarStart == start { return position }  // \s+ at the end, or one scalar
        return lastScalarStart  // \s+(?!\S)
    }
}
