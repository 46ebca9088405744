import Foundation
import NeuralEngine
import ProxyTrainer
import WorkbenchCore

/// The JSON header of a training-stream export (`<prefix>.json`, or `shard-R-of-N.json`): the
/// full run configuration (so the run is reproducible), the model and optimizer it implies, the
/// vocabulary, and every array file with its dtype and shape.
///
/// Arrays are little-endian and row-major, shaped (steps, rows per step, sequence length): step s
/// of the run trains on rows `[s, :, :]` of every array (the rows of this shard; see
/// `TrainingStreamRows`).
public struct TrainingStreamHeader: Codable, Equatable {
    /// One array file.
    public struct ArrayFile: Codable, Equatable, Sendable {
        /// What the array holds (`tokens`, `targets`, ...).
        public var name: String
        /// File name, relative to the header.
        public var file: String
        /// `uint8`, `uint16`, `uint32`, `int32` or `float32`, little-endian.
        public var dtype: String
        /// Row-major shape.
        public var shape: [Int]
        /// What an element means.
        public var meaning: String
    }

    /// The held-out documents the run is evaluated on (the valid split), raw bytes.
    public struct Evaluation: Codable, Equatable, Sendable {
        /// The split (always `valid`: what `workbench train` evaluates on).
        public var split: String
        /// Documents, empty ones included (the evaluation skips them).
        public var documents: Int
        /// Their bytes.
        public var bytes: Int
        /// The periodic evaluation sample: the first this many documents.
        public var sampleDocuments: Int
        /// `uint8` file of every document's bytes, concatenated.
        public var bytesFile: String
        /// documents + 1 little-endian uint64 offsets into `bytesFile`.
        public var indexFile: String
        /// How documents are scored.
        public var method =
            "each non-empty document as bos <raw> bytes </raw>; only byte targets scored, each once, over windows of the model's context strided by half of it (EvaluationWindow); bits per byte = sum of -log2 p / bytes"
    }

    /// AdamW, the learning-rate schedule and clipping: what `TrainingSession` applies per step.
    public struct Optimizer: Codable, Equatable, Sendable {
        /// Betas, epsilon and decoupled weight decay (on the tensors the workbench decays: every
        /// matrix and embedding, not the norm gains).
        public var adamw: AdamWConfig
        /// Linear warm-up, then cosine to the minimum at `totalSteps`.
        public var schedule: LearningRateSchedule
        /// Global L2 norm the gradients are clipped to (PyTorch `clip_grad_norm_`).
        public var maxGradientNorm: Float
        /// How the loss is normalized.
        public var loss =
            "(sum of weights x cross-entropy over main targets + sum of extraWeights x cross-entropy over extraTargets) / (sum of weights + sum of extraWeights), over the global batch"
    }

    /// What the stream drew over the exported steps.
    public struct Draws: Codable, Equatable, Sendable {
        /// Documents drawn raw only, compressed only, and in both views.
        public var raw: Int
        public var compressed: Int
        public var both: Int
        /// Raw bytes and symbols of the documents drawn with a compressed view.
        public var compressedRawBytes: Int
        public var compressedSymbols: Int
    }

    /// The format this code writes.
    public static let currentFormat = "workbench.training-stream/1"

    public var format = TrainingStreamHeader.currentFormat
    public var exportFormat = "training-stream"
    public var workbenchVersion = WorkbenchVersion.current
    /// The whole run configuration: `workbench train` with it trains on exactly these batches.
    public var runConfig: ProxyRunConfig
    /// The model (vocabulary size included) the stream is for.
    public var model: ModelConfig
    /// Its parameters, and its training FLOPs per step with the formula (as a run's result records them).
    public var parameters: Int
    public var flopsPerStep: Double
    public var flopsFormula = ProxyRunConfig.flopsFormula
    public var optimizer: Optimizer
    /// The compressor of the compressed view (nil: bytes only).
    public var compressor: ExportHeader.Compressor?
    /// The corpus; the stream is drawn from its train split.
    public var corpus: ExportHeader.Corpus
    /// The id layout.
    public var vocabulary: ExportHeader.Vocabulary
    /// How compressed symbols become tokens (`ids`, or `bytes` sub-tokens) and tokens per symbol.
    public var compressedView: String
    public var symbolBytes: Int
    /// Whether byte-valued symbols share the raw-byte rows.
    public var sharedByteEmbedding: Bool
    /// Optimizer steps exported (the run's steps).
    public var steps: Int
    /// Positions per sequence (T).
    public var sequenceLength: Int
    /// Which rows of each step this file set holds.
    public var rows: TrainingStreamRows
    public var arrays: [ArrayFile]
    public var evaluation: Evaluation?
    /// The weights the run starts from, when written (`--save-initial-weights`).
    public var initialWeights: String?
    public var draws: Draws

    /// Pretty, key-sorted JSON with a final newline.
    public func serialized() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// Reads a header, checking its format.
    /// - Throws: `WorkbenchError` naming the file when it is unreadable or of another format.
    public static func load(from path: String) throws(WorkbenchError) -> TrainingStreamHeader {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw WorkbenchError("cannot read '\(path)': \(error.localizedDescription)")
        }
        struct FormatOnly: Decodable { var format: String? }
        let format = (try? JSONDecoder().decode(FormatOnly.self, from: data))?.format
        guard format == currentFormat else {
            throw WorkbenchError(
                "'\(path)' has format '\(format ?? "none")', not '\(currentFormat)'; export the stream again with this workbench"
            )
        }
        do {
            return try JSONDecoder().decode(TrainingStreamHeader.self, from: data)
        } catch {
            throw WorkbenchError("'\(path)': not a readable training-stream header (\(error))")
        }
    }
}
