/// The character classes the split patterns test, for one Unicode scalar of a document.
///
/// Documents are arbitrary bytes: an ill-formed UTF-8 sequence is read one byte at a time, each
/// byte counted as `other` (punctuation-like), so every byte string splits and round-trips.
/// Letters are General Category L*, numbers N*, whitespace the White_Space property (what
/// Oniguruma's `\p{L}`, `\p{N}` and `\s` mean in HuggingFace's and tiktoken's patterns).
@frozen public enum ScalarClass: UInt8, Sendable {
    case letter = 0, number, whitespace, other
    /// Carriage return or line feed: whitespace that the cl100k pattern treats specially.
    case newline
    /// Marks and connector punctuation (`_`): not letters, but word characters for `\w`.
    case wordMark
    /// Other numbers (General Category No: `²`, `½`): numbers for `\p{N}`, but not word
    /// characters for Oniguruma's `\w` (which takes Nd and, through Alphabetic, Nl).
    case numberNotWord
}

/// Reads scalars and their classes from UTF-8 bytes without allocating.
@usableFromInline struct ScalarReader {
    /// Class of every ASCII byte.
    @usableFromInline static let asciiClass: [ScalarClass] = (0..<128).map { value -> ScalarClass in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "\r"), UInt8(ascii: "\n"): return .newline
        case 0x09, 0x0B, 0x0C, 0x20: return .whitespace
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "_"): return .wordMark
        default: return .other
        }
    }

    /// The class and byte length of the scalar starting at `offset` (offset < bytes.count).
    @inlinable @inline(__always)
    static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ ascii: UnsafeBufferPointer<ScalarClass>
    )
        -> (ScalarClass, Int)
    {
        let lead = bytes[offset]
        if lead < 0x80 { return (ascii[Int(lead)], 1) }
        return readMultibyte(bytes, offset)
    }

    /// Decodes a multi-byte sequence; ill-formed input is one `other` byte.
    @usableFromInline static func readMultibyte(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> (ScalarClass, Int) {
        let lead = bytes[offset]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return (.other, 1)
        }
        guard offset + length <= bytes.count else { return (.other, 1) }
        for index in 1..<length {
            let continuation = bytes[offset + index]
            guard continuation & 0xC0 == 0x80 else { return (.other, 1) }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        // Overlong forms and surrogates are ill-formed: treat the lead byte alone.
        let minimum: UInt32 = length == 2 ? 0x80 : (length == 3 ? 0x800 : 0x10000)
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value),
            let scalar = Unicode.Scalar(value)
        else { return (.other, 1) }
        return (classify(scalar), length)
    }

    /// The class of a non-ASCII scalar from its Unicode properties.
    @usableFromInline static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber:
            return .number
        case .otherNumber:
            return .numberNotWord
        case .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation:
            return .wordMark
        default:
            return .other
        }
    }
}
