import BPEPlugin
import Testing

/// Expected splits come from running the same patterns with Python's `regex` module.
@Suite struct PreTokenizerTests {
    static let gpt2Cases: [(String, [String])] = [
        ("Hello world", ["Hello", " world"]),
        ("  foo", [" ", " foo"]),
        ("a\n\n  b", ["a", "\n\n ", " b"]),
        ("don't", ["don", "'t"]),
        ("x  \n", ["x", "  \n"]),
        ("123abc", ["123", "abc"]),
        (" 's", [" '", "s"]),
        ("\tfoo", ["\t", "foo"]),
        ("héllo wörld", ["héllo", " wörld"]),
        ("I'M here's", ["I", "'", "M", " here", "'s"]),
        (
            "def f(x):\n    return x_1 + 12345\n",
            ["def", " f", "(", "x", "):", "\n   ", " return", " x", "_", "1", " +", " 12345", "\n"]
        ),
        ("a\t\n b  ", ["a", "\t\n", " b", "  "]),
        ("(self, *args)", ["(", "self", ",", " *", "args", ")"]),
        ("\u{a0}x\u{2028}y", ["\u{a0}", "x", "\u{2028}", "y"]),
    ]

    static let gpt4Cases: [(String, [String])] = [
        ("Hello world", ["Hello", " world"]),
        ("  foo", [" ", " foo"]),
        ("a\n\n  b", ["a", "\n\n", " ", " b"]),
        ("don't", ["don", "'t"]),
        ("x  \n", ["x", "  \n"]),
        ("123abc", ["123", "abc"]),
        (" 's", [" '", "s"]),
        ("\tfoo", ["\tfoo"]),
        ("I'M here's", ["I", "'M", " here", "'s"]),
        (
            "def f(x):\n    return x_1 + 12345\n",
            ["def", " f", "(x", "):\n", "   ", " return", " x", "_", "1", " +", " ", "123", "45", "\n"]
        ),
        ("a\t\n b  ", ["a", "\t\n", " b", "  "]),
        ("(self, *args)", ["(self", ",", " *", "args", ")"]),
        ("\u{a0}x\u{2028}y", ["\u{a0}x", "\u{2028}y"]),
    ]

    static func split(_ kind: PreTokenizer, _ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return kind.words(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func gpt2MatchesTheRegex() {
        for (text, expected) in Self.gpt2Cases {
            #expect(Self.split(.gpt2, text) == expected, "\(text.debugDescription)")
        }
    }

    @Test func gpt4MatchesTheRegex() {
        for (text, expected) in Self.gpt4Cases {
            #expect(Self.split(.gpt4, text) == expected, "\(text.debugDescription)")
        }
    }

    @Test func whitespaceKeepsEveryByte() {
        #expect(Self.split(.whitespace, "def f_1(x):\n  y") == ["def", " ", "f_1", "(", "x", "):", "\n  ", "y"])
    }

    @Test func noneIsOneWord() {
        #expect(Self.split(.none, "a b\nc") == ["a b\nc"])
    }

    @Test(arguments: PreTokenizer.allCases)
    func wordsTileInvalidUTF8(_ kind: PreTokenizer) {
        let bytes: [UInt8] = [0xff, 0x20, 0x61, 0xc3, 0x28, 0xe2, 0x82, 0x20, 0xf0, 0x9f, 0x98, 0x80, 0x0a, 0xed, 0xa0, 0x80]
        var next = 0
        for range in kind.words(in: bytes) {
            #expect(range.lowerBound == next && !range.isEmpty)
            next = range.upperBound
        }
        #expect(next == bytes.count)
    }
}
