/// A JSON parser that takes RFC 8259 exactly: manifests are checked with it, protocol headers
/// are read with it.
///
/// Why strict: Foundation's parser also accepts trailing commas (`[1, 2,]`) and repeated object
/// keys (the last wins), so a manifest could mean one thing to the workbench and another to a
/// strict reader (Python's `json`, `jq`), or silently lose a field written twice. Only JSON that
/// every reader takes the same way is accepted. A leading byte order mark is skipped, as RFC 8259
/// allows a parser to. Why its own parser for headers: a batch's header holds one number per
/// document, and Foundation's JSONDecoder took about a microsecond per number, a fifth of what
/// Python's lzma takes to decode a one-line document.
struct StrictJSON {
    /// A parsed JSON value. Numbers without a fraction or exponent that fit an `Int` are
    /// `.integer`; every other number is `.number`.
    enum Value: Equatable {
        case null
        case bool(Bool)
        case integer(Int)
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])
    }

    /// Where and why the text is not strict JSON.
    struct Problem: Error, Equatable {
        /// 1-based line and column (in bytes) of the offending character.
        var line: Int
        var column: Int
        var message: String

        var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
    static let maxDepth = 256

    private let bytes: [UInt8]
    private var index = 0

    /// Checks `bytes` is one JSON value with nothing but whitespace around it.
    /// - Throws: the first `Problem`.
    static func check(_ bytes: [UInt8]) throws(Problem) {
        _ = try parse(bytes)
    }

    /// Parses `bytes`, one JSON value with nothing but whitespace around it.
    /// - Throws: the first `Problem`.
    static func parse(_ bytes: [UInt8]) throws(Problem) -> Value {
        var parser = StrictJSON(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.problem("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func value(depth: Int) throws(Problem) -> Value {
        guard depth < Self.maxDepth else { throw problem("nested more than \(Self.maxDepth) levels deep") }
        guard let byte = current else { throw problem("the text ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw problem("expected a value (object, array, string, number, true, false or null)\(found)")
        }
    }

    private mutating func object(depth: Int) throws(Problem) -> Value {
        index += 1
        skipWhitespace()
        var members: [String: Value] = [:]
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard current == UInt8(ascii: "\"") else {
                throw problem(
                    members.isEmpty
                        ? "expected a quoted field name\(found)"
                        : "expected a quoted field name after ','\(found) (a trailing comma is not JSON)")
            }
            let start = index
            let key = try string()
            guard members[key] == nil else {
                let (line, column) = position(start)
                throw Problem(line: line, column: column, message: "field \"\(key)\" appears twice in one object")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw problem("expected ':' after the field name\(found)") }
            index += 1
            skipWhitespace()
            members[key] = try value(depth: depth + 1)
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            guard current == UInt8(ascii: "}") else { throw problem("expected ',' or '}'\(found)") }
            index += 1
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(Problem) -> Value {
        index += 1
        skipWhitespace()
        var items: [Value] = []
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            if current == UInt8(ascii: "]") { throw problem("expected a value after ',' (a trailing comma is not JSON)") }
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            guard current == UInt8(ascii: "]") else { throw problem("expected ',' or ']'\(found)") }
            index += 1
            return .array(items)
        }
    }

    /// Reads a string literal and returns its value (for duplicate keys).
    private mutating func string() throws(Problem) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        while true {
            guard let byte = current else { throw problem("the text ends inside a string") }
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            }
            if byte < 0x20 { throw problem("a control character (0x\(String(byte, radix: 16))) inside a string must be escaped") }
            if byte != UInt8(ascii: "\\") {
                raw.append(byte)
                index += 1
                continue
            }
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw = []
            index += 1
            guard let escaped = current else { throw problem("the text ends inside a string") }
            index += 1
            switch escaped {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{c}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), bytes[index...].starts(with: Array("\\u".utf8)) {
                    index += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) }
                }
                // A lone surrogate is legal JSON syntax; it stands for U+FFFD in the value.
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default:
                index -= 1
                throw problem("'\\\(Character(Unicode.Scalar(escaped)))' is not a JSON escape")
            }
        }
        scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
        return String(scalars)
    }

    private mutating func hex4() throws(Problem) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else { throw problem("\\u needs four hex digits") }
            code = code << 4 | digit
            index += 1
        }
        return code
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private mutating func number() throws(Problem) -> Value {
        let start = index
        let negative = current == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let first = current, Self.isDigit(first) else { throw problem("expected a digit\(found)") }
        index += 1
        if first == UInt8(ascii: "0"), let next = current, Self.isDigit(next) { throw problem("a number may not start with 0") }
        // Whole numbers are accumulated as they are read: the common case, one per document of
        // a batch, without building a string.
        var whole = Int(first - UInt8(ascii: "0"))
        var fits = true
        while let byte = current, Self.isDigit(byte) {
            let (shifted, overflow1) = whole.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            fits = fits && !overflow1 && !overflow2
            whole = next
            index += 1
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard let digit = current, Self.isDigit(digit) else { throw problem("expected a digit after '.'") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw problem("expected a digit in the exponent") }
            skipDigits()
        }
        if integral && fits { return .integer(negative ? -whole : whole) }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        return .number(Double(text) ?? .nan)
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private mutating func literal(_ word: String) throws(Problem) {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else {
            throw problem("expected a value (object, array, string, number, true, false or null)\(found)")
        }
        index += expected.count
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    /// ", found 'x'" for the character at the cursor, or ", found the end of the text".
    private var found: String {
        guard let byte = current else { return ", found the end of the text" }
        let shown = (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return ", found \(shown)"
    }

    private func position(_ offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return (line, offset - lineStart + 1)
    }

    private func problem(_ message: String) -> Problem {
        let (line, column) = position(index)
        return Problem(line: line, column: column, message: message)
    }
}
