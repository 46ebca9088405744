import Foundation
import NeuralEngine
import WorkbenchCore

/// Raw-byte bits per byte of held-out documents: the one number every proxy is judged by.
public struct RawByteEvaluation: Sendable, Codable, Equatable {
    /// Documents scored.
    public var documents: Int
    /// UTF-8 bytes scored (each exactly once).
    public var bytes: Int
    /// Sum of -ln p over byte targets.
    public var totalNats: Double
    /// Sum of -log2 p over byte targets / bytes.
    public var rawBitsPerByte: Double
    /// Windows evaluated.
    public var windows: Int

    enum CodingKeys: String, CodingKey {
        case documents, bytes, totalNats = "total_nats", rawBitsPerByte = "raw_bits_per_byte", windows
    }
}

/// Scores documents as `bos <raw> bytes </raw>` with strided windows (`EvaluationWindow`).
public enum RawByteEvaluator {
    /// Evaluates `model` on `documents`, `batchSize` windows per forward pass.
    /// - Throws: `EngineError` from the model.
    public static func evaluate(model: TransformerModel, documents: [[UInt8]], batchSize: Int) throws -> RawByteEvaluation {
        let nonEmpty = documents.filter { !$0.isEmpty }
        return try score(
            model: model, sequences: nonEmpty.map { (EvaluationWindow.tokens(for: $0), $0.count) },
            rawBytes: nonEmpty.reduce(0) { $0 + $1.count }, batchSize: batchSize)
    }

    /// The compressor's own view: each document as `bos <compressed> symbols </compressed>`,
    /// scoring the symbol targets, converted to bits per raw byte (sum of -log2 p over symbols /
    /// raw bytes). For a tokenizer this is the classic token model's loss per byte.
    public static func evaluateCompressedView(
        model: TransformerModel, documents: [[UInt8]], compressor: any Compressor, vocabulary: ProxyVocabulary, batchSize: Int
    ) throws -> RawByteEvaluation {
        var sequences: [([Int32], Int)] = []
        var bytes = 0
        for document in documents where !document.isEmpty {
            let ids = vocabulary.ids(ofSymbols: try compressor.encode(document).symbols)
            guard !ids.isEmpty else { continue }
            sequences.append(
                ([ProxyVocabulary.bos, ProxyVocabulary.compressedOpen] + ids + [ProxyVocabulary.compressedClose], ids.count))
            bytes += document.count
        }
        return try score(model: model, sequences: sequences, rawBytes: bytes, batchSize: batchSize)
    }

    /// Scores `(tokens, content count)` sequences whose content targets are indices 2...count+1.
    static func score(
        model: TransformerModel, sequences: [([Int32], Int)], rawBytes bytes: Int, batchSize: Int
    ) throws -> RawByteEvaluation {
        let context = model.config.contextLength
        var jobs: [(tokens: [Int32], window: EvaluationWindow)] = []
        for (tokens, count) in sequences {
            for window in EvaluationWindow.windows(byteCount: count, context: context) {
                jobs.append((tokens, window))
            }
        }
        var totalNats = 0.0
        var index = 0
        while index < jobs.count {
            let rows = jobs[index..<min(index + batchSize, jobs.count)]
            var tokens = [Int32](), targets = [Int32](), weights = [Float](), documentIDs = [Int32]()
            for (row, job) in rows.enumerated() {
                for position in 0..<context {
                    let input = job.window.start + position
                    let valid = position < job.window.length
                    tokens.append(valid ? job.tokens[input] : ProxyVocabulary.pad)
                    targets.append(valid ? job.tokens[input + 1] : ProxyVocabulary.pad)
                    weights.append(valid && job.window.scored.contains(input + 1) ? 1 : 0)
                    documentIDs.append(Int32(row))
                }
            }
            let batch = TrainingBatch(
                batchSize: rows.count, sequenceLength: context, tokens: tokens, targets: targets, weights: weights,
                documentIDs: documentIDs)
            let meanLoss = try model.forward(batch, forTraining: false)
            totalNats += Double(meanLoss) * Double(weights.reduce(0, +))
            index += batchSize
        }
        return RawByteEvaluation(
            documents: sequences.count, bytes: bytes, totalNats: totalNats,
            rawBitsPerByte: bytes > 0 ? totalNats / log(2) / Double(bytes) : 0, windows: jobs.count)
    }
}
