import ArgumentParser
import Foundation
import NeuralEngine
import Pipelines
import ProxyTrainer
import WorkbenchCore

/// `workbench eval`: raw-byte bits per byte of a trained model on held-out documents.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a trained model on raw bytes: prints one JSON object with raw_bits_per_byte.",
        discussion: """
            Each document is scored as bos <raw> bytes </raw>; only byte targets count, each exactly once, \
            over windows of the model's context strided by half of it. bits per byte = sum of -log2 p over byte \
            targets / UTF-8 bytes.
            """)

    @Option(
        help: ArgumentHelp(
            "A run directory (uses model.safetensors, else checkpoint.safetensors) or a weights file.", valueName: "path"))
    var checkpoint: String

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Which split to evaluate: valid, test or all.")
    var split: CorpusSplit = .valid

    @Option(help: "Windows per forward pass.")
    var batch: Int = 8

    func run() throws {
        let path = try weightsPath()
        let parameters: Parameters
        do {
            parameters =
                try path.hasSuffix("checkpoint.safetensors")
                ? Checkpoint.load(from: path).parameters : Parameters.load(from: path)
        } catch {
            throw WorkbenchError("cannot load '\(path)': \(error)")
        }
        let model = try TransformerModel(parameters: parameters)
        let corpus = try corpusArguments.load()
        let documents = corpus.documents(in: split).map(\.bytes)
        guard !documents.isEmpty else { throw WorkbenchError("the \(split.rawValue) split of '\(corpus.path)' is empty") }
        let evaluation = try RawByteEvaluator.evaluate(model: model, documents: documents, batchSize: batch)
        let output: [String: Any] = [
            "raw_bits_per_byte": evaluation.rawBitsPerByte, "bits_per_byte": evaluation.rawBitsPerByte,
            "documents": evaluation.documents, "bytes": evaluation.bytes, "total_nats": evaluation.totalNats,
            "windows": evaluation.windows, "checkpoint": path, "corpus": corpus.path, "corpus_sha256": corpus.sha256,
            "split": split.rawValue, "context": model.config.contextLength,
        ]
        print(try JSONText.serialize(output))
    }

    private func weightsPath() throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: checkpoint, isDirectory: &isDirectory) else {
            throw WorkbenchError("'\(checkpoint)' does not exist; pass a run directory or a .safetensors file")
        }
        guard isDirectory.boolValue else { return checkpoint }
        for name in ["model.safetensors", "checkpoint.safetensors"]
        where FileManager.default.fileExists(atPath: checkpoint + "/" + name) {
            return checkpoint + "/" + name
        }
        throw WorkbenchError("'\(checkpoint)' holds no model.safetensors or checkpoint.safetensors")
    }
}
