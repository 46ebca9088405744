/// Splits into runs of word characters, runs of other visible characters, and runs of
/// whitespace: `\w+|[^\w\s]+|\s+` as HuggingFace's Oniguruma runs it.
///
/// Subtle: Oniguruma's `\w` outside a bracket takes every number (`²` and `½` included), but
/// inside `[^\w\s]` its `\w` leaves out General Category No; so `²` and `½` join a run of word
/// characters when a word run reaches them and a run of punctuation when that reaches them.
@usableFromInline enum WhitespaceSplit {
    @inlinable @inline(__always)
    static func isWord(_ kind: ScalarClass) -> Bool {
        switch kind {
        case .letter, .number, .numberNotWord, .wordMark: return true
        case .whitespace, .newline, .other: return false
        }
    }

    @inlinable @inline(__always)
    static func isSpace(_ kind: ScalarClass) -> Bool { kind == .whitespace || kind == .newline }

    @inlinable @inline(__always)
    static func isOther(_ kind: ScalarClass) -> Bool { kind == .other || kind == .numberNotWord }

    @inlinable
    static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ ascii: UnsafeBufferPointer<ScalarClass>) -> Int {
        let (kind, length) = ScalarReader.read(bytes, start, ascii)
        let group: UInt8 = isWord(kind) ? 0 : (isSpace(kind) ? 1 : 2)
        var position = start + length
        while position < bytes.count {
            let (nextKind, nextLength) = ScalarReader.read(bytes, position, ascii)
            let stays: Bool
            switch group {
            case 0: stays = isWord(nextKind)
            case 1: stays = isSpace(nextKind)
            default: stays = isOther(nextKind)
            }
            if !stays { break }
            position += nextLength
        }
        return position
    }
}
