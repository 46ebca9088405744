import BPEPlugin
import Testing
import WorkbenchCore

/// The worked example from minbpe (and Wikipedia's BPE article): `aaabdaaabac` with three merges.
@Suite struct MinBPEExampleTests {
    @Test func aaabdaaabacLearnsThreeMerges() throws {
        let text = Array("aaabdaaabac".utf8)
        let model = try BPETrainer(vocabularySize: 259, preTokenizer: .none).train([text])
        let merged = model.merges.map { String(decoding: model.tokens[Int($0.result)], as: UTF8.self) }
        // aa (count 4, overlapping), then ab and aa+a tie at 2: the smaller pair id (a, b) wins, as in
        // minbpe and HuggingFace; then aa+ab.
        #expect(merged == ["aa", "ab", "aaab"])
        let tokenizer = BPETokenizer(model: model)
        let ids = tokenizer.encode(text)
        #expect(BPETestSupport.strings(ids, model) == ["aaab", "d", "aaab", "a", "c"])
        #expect(try tokenizer.decode(ids, maxOutputBytes: 100, compressor: "bpe") == text)
    }

    @Test func overlappingPairsMergeLeftToRight() throws {
        let model = try BPETrainer(vocabularySize: 257, preTokenizer: .none).train([Array("aaaaa".utf8)])
        let tokenizer = BPETokenizer(model: model)
        #expect(BPETestSupport.strings(tokenizer.encode(Array("aaaaa".utf8)), model) == ["aa", "aa", "a"])
    }

    @Test func trainingIsDeterministic() throws {
        let documents = Array(BPETestSupport.documents(.train).prefix(10))
        let first = try BPETrainer(vocabularySize: 600, preTokenizer: .gpt2).train(documents)
        let second = try BPETrainer(vocabularySize: 600, preTokenizer: .gpt2, usesBothCores: false).train(documents)
        #expect(first == second)
        #expect(first.vocabularySize == 600)
    }

    @Test func stopsWhenNoPairIsLeft() throws {
        let model = try BPETrainer(vocabularySize: 5000, preTokenizer: .gpt2).train([Array("abc abc".utf8)])
        #expect(model.vocabularySize < 5000)
        let tokenizer = BPETokenizer(model: model)
        #expect(BPETestSupport.strings(tokenizer.encode(Array("abc abc".utf8)), model) == ["abc", " abc"])
    }

    @Test func pureBPEMatchesPreTokenizedOnOneWord() throws {
        // With one word per document, `none` and `gpt2` see the same pairs.
        let words = ["hello", "help", "hell", "yellow"].map { Array($0.utf8) }
        let none = try BPETrainer(vocabularySize: 270, preTokenizer: .none).train(words)
        let gpt2 = try BPETrainer(vocabularySize: 270, preTokenizer: .gpt2).train(words)
        #expect(none.merges == gpt2.merges)
    }
}
