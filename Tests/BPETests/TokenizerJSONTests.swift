import BPEPlugin
import Foundation
import Testing
import WorkbenchCore

@Suite struct TokenizerJSONTests {
    /// A small valid byte-level tokenizer.json with merges spelled either way.
    static func json(
        merges: String = #"["Ġ t", ["Ġt", "h"]]"#, normalizer: String = "null", modelType: String = "BPE",
        preTokenizer: String = #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#,
        extraVocab: [String] = ["Ġt", "Ġth"], byteFallback: Bool = false, dropBytes: Set<UInt8> = [],
        ignoreMerges: Bool = false
    ) -> Data {
        var vocab: [String] = []
        for byte in ByteLevelAlphabet.bytesInTrainerOrder where !dropBytes.contains(byte) {
            vocab.append(String(ByteLevelAlphabet.scalarForByte[Int(byte)]))
        }
        if byteFallback { vocab += (0..<256).map { String(format: "<0x%02X>", $0) } }
        vocab += extraVocab
        let vocabJSON = vocab.enumerated().map { "\(quoted($1)): \($0)" }.joined(separator: ", ")
        let text = """
            {"version": "1.0", "added_tokens": [], "normalizer": \(normalizer), "pre_tokenizer": \(preTokenizer),
             "decoder": {"type": "ByteLevel"}, "post_processor": null,
             "model": {"type": "\(modelType)", "dropout": null, "byte_fallback": \(byteFallback), "ignore_merges": \(ignoreMerges),
                       "vocab": {\(vocabJSON)}, "merges": \(merges)}}
            """
        return Data(text.utf8)
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    @Test func loadsBothMergeSpellings() throws {
        let model = try TokenizerJSON.parse(Self.json())
        #expect(model.merges.count == 2)
        #expect(model.preTokenizer == .gpt2)
        let tokenizer = BPETokenizer(model: model)
        let ids = tokenizer.encode(Array(" the".utf8))
        #expect(BPETestSupport.strings(ids, model) == [" th", "e"])
    }

    @Test func honoursIgnoreMerges() throws {
        // "Ġthe" is a token no merge reaches; with ignore_merges a whole-word match wins.
        let vocab = ["Ġt", "Ġth", "Ġthe"]
        let plain = BPETokenizer(model: try TokenizerJSON.parse(Self.json(extraVocab: vocab)))
        let whole = BPETokenizer(model: try TokenizerJSON.parse(Self.json(extraVocab: vocab, ignoreMerges: true)))
        #expect(BPETestSupport.strings(plain.encode(Array(" the".utf8)), plain.model) == [" th", "e"])
        #expect(BPETestSupport.strings(whole.encode(Array(" the".utf8)), whole.model) == [" the"])
    }

    @Test func loadsByteFallbackVocabularies() throws {
        // Bytes 0x00 and 0x0A have no ByteLevel spelling here; their <0xHH> tokens stand in.
        let model = try TokenizerJSON.parse(Self.json(byteFallback: true, dropBytes: [0x00, 0x0A]))
        let tokenizer = BPETokenizer(model: model)
        let input: [UInt8] = [0x00, 0x0A, 0x20, 0x74]
        let ids = tokenizer.encode(input)
        #expect(try tokenizer.decode(ids, maxOutputBytes: 10, compressor: "bpe") == input)
    }

    @Test func errorsNameTheField() {
        let cases: [(Data, String)] = [
            (Self.json(merges: "[]"), "model.merges"),
            (Self.json(modelType: "WordPiece"), "model.type"),
            (Self.json(normalizer: #"{"type": "NFC"}"#), "normalizer"),
            (Self.json(extraVocab: ["Ġt", "Ġth", "▁the"]), "model.vocab"),
            (Self.json(dropBytes: [0x41]), "model.vocab"),
            (Self.json(merges: #"["Ġ q"]"#), "model.merges[0]"),
            (Self.json(merges: #"["Ġ t x"]"#), "model.merges[0]"),
            (Self.json(preTokenizer: #"{"type": "ByteLevel", "add_prefix_space": true}"#), "add_prefix_space"),
            (Self.json(preTokenizer: #"{"type": "Metaspace"}"#), "pre_tokenizer.type"),
            (Self.json(preTokenizer: "null"), "pre_tokenizer"),
            (
                Self.json(
                    preTokenizer:
                        #"{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\d+"}, "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}"#
                ), "pattern.Regex"
            ),
            (Data("[1, 2]".utf8), "top level"),
            (Data("{".utf8), "JSON"),
        ]
        for (data, field) in cases {
            do {
                _ = try TokenizerJSON.parse(data)
                Issue.record("accepted a tokenizer.json that should fail on \(field)")
            } catch {
                #expect(error.message.contains(field), "\(error.message) should name \(field)")
            }
        }
    }

    @Test func recognisesSplitPatterns() throws {
        for kind in [PreTokenizer.gpt4, .whitespace, .gpt2] {
            let pattern = try #require(kind.pattern)
            let preTokenizer = """
                {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": \(TokenizerJSON.jsonStringLiteral(pattern))}, "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}
                """
            #expect(try TokenizerJSON.parse(Self.json(preTokenizer: preTokenizer)).preTokenizer == kind)
        }
    }

    @Test(arguments: PreTokenizer.allCases)
    func savedModelsLoadBackIdentically(_ kind: PreTokenizer) throws {
        let documents = Array(BPETestSupport.documents(.train).prefix(5))
        let model = try BPETrainer(vocabularySize: 400, preTokenizer: kind).train(documents)
        let text = TokenizerJSON.serialize(model)
        let loaded = try TokenizerJSON.parse(Data(text.utf8))
        #expect(loaded == model)
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: WorkbenchError.self) { try TokenizerJSON.load(path: "/nonexistent/tokenizer.json") }
    }
}
