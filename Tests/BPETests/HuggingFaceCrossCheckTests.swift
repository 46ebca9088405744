import BPEPlugin
import Foundation
import Testing
import WorkbenchCore

/// Cross-checks against HuggingFace tokenizers through committed fixtures made by
/// `Fixtures/make_fixtures.py` (tokenizers version in `Fixtures/versions.json`).
@Suite struct HuggingFaceCrossCheckTests {
    /// Every valid-split document encodes to exactly HF's ids with HF's own tokenizer.json.
    /// (fixture stem, vocabulary, pre-tokenizer it must be recognised as)
    static let encodings: [(String, Int, PreTokenizer)] = [
        ("hf-4096", 4096, .gpt2), ("hf-16384", 16384, .gpt2), ("hf-gpt4-1024", 1024, .gpt4),
        ("hf-whitespace-1024", 1024, .whitespace),
    ]

    @Test(arguments: encodings)
    func idsMatchHuggingFaceOnTheValidSplit(stem: String, vocabulary: Int, kind: PreTokenizer) throws {
        let model = try TokenizerJSON.load(path: BPETestSupport.fixtures + "/\(stem).tokenizer.json")
        #expect(model.vocabularySize == vocabulary)
        #expect(model.preTokenizer == kind)
        let tokenizer = BPETokenizer(model: model)
        let expected = try BPETestSupport.littleEndian("\(stem).valid-ids.bin", width: 2)
        let counts = try BPETestSupport.littleEndian("\(stem).valid-counts.bin", width: 4)
        let documents = BPETestSupport.documents(.valid)
        try #require(documents.count == counts.count, "the shipped corpus's valid split changed; rerun make_fixtures.py")
        var offset = 0
        var mismatches = 0
        for (index, document) in documents.enumerated() {
            let want = Array(expected[offset..<(offset + Int(counts[index]))])
            offset += Int(counts[index])
            let got = tokenizer.encode(document)
            if got != want {
                mismatches += 1
                let first =
                    zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
                Issue.record("document \(index): first difference at token \(first) of \(want.count)")
            }
        }
        #expect(offset == expected.count)
        #expect(mismatches == 0)
    }

    /// Our trainer's merges equal HF's trainer's on the train split (ByteLevel, no special tokens).
    static let trainings: [(String, Int, PreTokenizer)] = [
        ("hf-1024", 1024, .gpt2), ("hf-4096", 4096, .gpt2), ("hf-gpt4-1024", 1024, .gpt4),
        ("hf-whitespace-1024", 1024, .whitespace),
    ]

    @Test(arguments: trainings)
    func mergesMatchHuggingFaceOnTheTrainSplit(stem: String, vocabulary: Int, kind: PreTokenizer) throws {
        let reference = try TokenizerJSON.load(path: BPETestSupport.fixtures + "/\(stem).tokenizer.json")
        let documents = BPETestSupport.documents(.train)
        try #require(!documents.isEmpty)
        let ours = try BPETrainer(vocabularySize: vocabulary, preTokenizer: kind).train(documents)
        let spell = { (model: BPEModel, merge: BPEMerge) in
            ByteLevelAlphabet.spell(model.tokens[Int(merge.left)]) + " " + ByteLevelAlphabet.spell(model.tokens[Int(merge.right)])
        }
        let theirs = reference.merges.map { spell(reference, $0) }
        let mine = ours.merges.map { spell(ours, $0) }
        #expect(mine.count == theirs.count)
        let differences = zip(mine, theirs).enumerated().filter { $0.element.0 != $0.element.1 }
        for difference in differences.prefix(10) {
            Issue.record("merge \(difference.offset): ours \(difference.element.0) HF \(difference.element.1)")
        }
        #expect(differences.isEmpty)
        #expect(ours.tokens == reference.tokens)
    }
}

/// Synthetic texts mixing scripts, combining marks, digits of every kind, Unicode whitespace,
/// CRLF, contractions in both cases and emoji, encoded by HF with each split pattern.
@Suite struct UnicodeCrossCheckTests {
    @Test(arguments: [("hf-4096", PreTokenizer.gpt2), ("hf-gpt4-1024", .gpt4), ("hf-whitespace-1024", .whitespace)])
    func idsMatchHuggingFaceOnUnicodeStressTexts(stem: String, kind: PreTokenizer) throws {
        let fixtures = BPETestSupport.fixtures
        let textsData = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/unicode-texts.json"))
        let idsData = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/\(stem).unicode-ids.json"))
        let texts = try #require(try JSONSerialization.jsonObject(with: textsData) as? [String])
        let expected = try #require(try JSONSerialization.jsonObject(with: idsData) as? [[Int]])
        try #require(texts.count == expected.count)
        let model = try TokenizerJSON.load(path: fixtures + "/\(stem).tokenizer.json")
        #expect(model.preTokenizer == kind)
        let tokenizer = BPETokenizer(model: model)
        var mismatches = 0
        for (text, want) in zip(texts, expected) {
            let got = tokenizer.encode(Array(text.utf8)).map(Int.init)
            if got != want {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record(
                        "\(text.debugDescription): ours \(BPETestSupport.strings(got.map { UInt32($0) }, model)) HF \(BPETestSupport.strings(want.map { UInt32($0) }, model))"
                    )
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(texts.count) texts differ")
    }
}

extension UnicodeCrossCheckTests {
    /// The words themselves, not just the ids: HF's pre-tokenizer's cut of every stress text.
    @Test(arguments: [("hf-4096", PreTokenizer.gpt2), ("hf-gpt4-1024", .gpt4), ("hf-whitespace-1024", .whitespace)])
    func wordsMatchHuggingFacesPreTokenizer(stem: String, kind: PreTokenizer) throws {
        let fixtures = BPETestSupport.fixtures
        let textsData = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/unicode-texts.json"))
        let splitsData = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/\(stem).unicode-splits.json"))
        let texts = try #require(try JSONSerialization.jsonObject(with: textsData) as? [String])
        let expected = try #require(try JSONSerialization.jsonObject(with: splitsData) as? [[Int]])
        try #require(texts.count == expected.count)
        var mismatches = 0
        for (text, want) in zip(texts, expected) {
            let bytes = Array(text.utf8)
            let got = kind.words(in: bytes).map(\.count)
            if got != want {
                mismatches += 1
                if mismatches <= 5 {
                    let words = kind.words(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
                    Issue.record(
                        "\(text.debugDescription): ours \(words.map(\.debugDescription)) lengths \(got), HF lengths \(want)")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(texts.count) texts split differently")
    }
}
