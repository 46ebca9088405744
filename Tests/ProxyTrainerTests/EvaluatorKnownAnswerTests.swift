import Foundation
import NeuralEngine
import Testing
import WorkbenchCore

@testable import ProxyTrainer

/// The raw-byte evaluator on models whose answer is known in advance, computed here without the
/// engine: a uniform model, and a model that is exactly a bigram table.
@Suite struct EvaluatorKnownAnswerTests {
    static let documents = [
        Array("def add(a, b):\n    return a + b\n".utf8), Array("x = [1, 2, 3]\nprint(sum(x))\n".utf8),
        Array(String(repeating: "the quick brown fox ", count: 40).utf8),
    ]

    static func config(context: Int = 16) -> ModelConfig {
        ModelConfig(vocabularySize: 320, width: 16, layers: 2, heads: 2, contextLength: context)
    }

    @Test func allZeroOutputWeightsGiveExactlyLog2OfTheVocabulary() throws {
        var parameters = try Parameters(config: Self.config(), seed: 9)
        let replaced = parameters.setTensor(named: "head.weight", to: [Float](repeating: 0, count: 320 * 16))
        #expect(replaced)
        let model = try TransformerModel(parameters: parameters)
        let evaluation = try RawByteEvaluator.evaluate(model: model, documents: Self.documents, batchSize: 3)
        #expect(evaluation.bytes == Self.documents.reduce(0) { $0 + $1.count })
        #expect(abs(evaluation.rawBitsPerByte - log2(320.0)) < 1e-5)
    }

    /// Blocks that add nothing, one-hot embeddings by token class, and a head that writes a
    /// table's log-probabilities: the model's prediction after token t is row `t mod 16` of the
    /// table, whatever the position or the window.
    @Test(arguments: [16, 64])
    func aBigramTableModelScoresTheTablesCrossEntropy(context: Int) throws {
        let config = Self.config(context: context)
        let classes = 16, scale: Float = 1000
        var generator = SplitMix64(seed: 4)
        // Row c: log-probabilities over the 320 ids (normalized in Double, stored in Float).
        let table: [[Float]] = (0..<classes).map { _ in
            let logits = (0..<320).map { _ in Double(generator.next() % 1000) / 100 }
            let normalizer = log(logits.reduce(0) { $0 + exp($1) })
            return logits.map { Float($0 - normalizer) }
        }
        var parameters = try Parameters(zerosFor: config)
        var embedding = [Float](repeating: 0, count: 320 * 16)
        for token in 0..<320 { embedding[token * 16 + token % classes] = scale }
        var head = [Float](repeating: 0, count: 320 * 16)
        for v in 0..<320 { for c in 0..<classes { head[v * 16 + c] = table[c][v] / Float(16).squareRoot() } }
        let replaced = [
            parameters.setTensor(named: "wte.weight", to: embedding), parameters.setTensor(named: "head.weight", to: head),
            parameters.setTensor(named: "norm_f.weight", to: [Float](repeating: 1, count: 16)),
        ]
        #expect(replaced == [true, true, true])
        let model = try TransformerModel(parameters: parameters)
        let evaluation = try RawByteEvaluator.evaluate(model: model, documents: Self.documents, batchSize: 2)
        // Independently: every byte is predicted from the token before it (<raw> for the first).
        var bits = 0.0
        for document in Self.documents {
            var previous = Int(ProxyVocabulary.rawOpen)
            for byte in document {
                let target = Int(ProxyVocabulary.byteID(byte))
                let row = table[previous % classes].map(Double.init)
                let normalizer = log(row.reduce(0) { $0 + exp($1) })
                bits += -(row[target] - normalizer) / log(2)
                previous = target
            }
        }
        let expected = bits / Double(Self.documents.reduce(0) { $0 + $1.count })
        #expect(abs(evaluation.rawBitsPerByte / expected - 1) < 1e-4, "\(evaluation.rawBitsPerByte) vs \(expected)")
    }
}
