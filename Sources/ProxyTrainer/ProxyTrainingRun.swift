import Foundation
import NeuralEngine
import WorkbenchCore

/// One proxy-training run: a model trained on the raw/compressed stream at a fixed budget,
/// evaluated on raw bytes, checkpointed atomically so an interrupted run resumes exactly.
///
/// Files in the run directory: `config.json`, `checkpoint.safetensors` (weights, AdamW state, the
/// packer's stream state and the curve so far, in one atomic file), `curve.json`, and at the end
/// `model.safetensors` and `result.json` (and `initial.safetensors` when asked for).
public final class ProxyTrainingRun {
    /// Where the run lives.
    public let directory: String
    /// The run's configuration.
    public let config: ProxyRunConfig
    /// Raw documents of the valid split, for evaluation.
    public let validation: [[UInt8]]
    /// The evaluation sample for periodic points.
    public let evaluationSample: [[UInt8]]
    /// The model vocabulary.
    public let vocabulary: ProxyVocabulary
    /// The training session (model + optimizer).
    public let session: TrainingSession
    /// The stream.
    public private(set) var batches: BatchShuffler
    /// Points so far.
    public private(set) var curve: [CurvePoint]
    /// Called with a line of progress (to the log).
    public var log: (String) -> Void = { _ in }
    /// Called after every step with (step, total, tokens per second, the step's training loss in nats).
    public var progress: (Int, Int, Double, Double) -> Void = { _, _, _, _ in }
    private let compressor: (any Compressor)?
    private var elapsedBeforeResume: Double

    static let checkpointFile = "checkpoint.safetensors"
    /// The weights before the first step, when asked for (`saveInitialWeights`).
    public static let initialWeightsFile = "initial.safetensors"

    /// Prepares a run (documents are compressed once, as the stream reaches them), builds the model or
    /// restores it from the directory's checkpoint.
    /// - Throws: `ProxyTrainerError` for a config that cannot run, a missing, corrupt or mismatched
    ///   checkpoint on resume; `CodecError` from the compressor; `EngineError` from the engine.
    public init(
        directory: String, config: ProxyRunConfig, training: [[UInt8]], validation: [[UInt8]],
        compressor: (any Compressor)?, resume: Bool
    ) throws {
        self.directory = directory
        self.validation = validation
        self.evaluationSample = config.evaluationSample(of: validation)
        let vocabulary = try config.vocabulary(for: compressor?.descriptor)
        self.vocabulary = vocabulary
        let modelConfig = config.modelConfig(vocabularySize: vocabulary.size)
        do {
            try modelConfig.validate()
        } catch {
            throw ProxyTrainerError("the model cannot be built: \(error)")
        }
        guard config.steps >= 1 else {
            throw ProxyTrainerError(
                "the budget allows \(config.steps) steps; one step costs \(config.flopsPerStep(vocabularySize: vocabulary.size)) FLOPs"
            )
        }
        // Compressed lazily, as the stream reaches documents: a short run pays only for what it reads.
        var batches = try config.batchStream(training: training, compressor: compressor, vocabulary: vocabulary)
        let checkpointPath = (directory as NSString).appendingPathComponent(Self.checkpointFile)
        if resume {
            let checkpoint: Checkpoint
            do {
                checkpoint = try Checkpoint.load(from: checkpointPath)
            } catch {
                throw ProxyTrainerError("cannot resume from '\(checkpointPath)': \(error); nothing was overwritten")
            }
            let saved = try Self.decode(
                ProxyRunConfig.self, checkpoint.userMetadata["proxy.config"], what: "config", path: checkpointPath)
            guard saved == config else {
                throw ProxyTrainerError(
                    "the checkpoint '\(checkpointPath)' was made with another configuration (see its config.json); resume with the same options, or start a new run elsewhere"
                )
            }
            guard checkpoint.parameters.config == modelConfig else {
                throw ProxyTrainerError(
                    "the checkpoint's model (\(checkpoint.parameters.config)) does not match the configuration")
            }
            if checkpoint.userMetadata["proxy.batches"] != nil {
                batches.state = try Self.decode(
                    BatchShuffler.State.self, checkpoint.userMetadata["proxy.batches"], what: "batch state", path: checkpointPath)
            } else {
                // Written before batches were shuffled: the stream's state alone.
                batches.state = BatchShuffler.State(
                    stream: try Self.decode(
                        SequencePacker.State.self, checkpoint.userMetadata["proxy.packer"], what: "stream state",
                        path: checkpointPath), block: -1, served: 0)
            }
            curve = try Self.decode(
                [CurvePoint].self, checkpoint.userMetadata["proxy.curve"], what: "curve", path: checkpointPath)
            session = try TrainingSession(checkpoint: checkpoint)
            elapsedBeforeResume = curve.last?.wallSeconds ?? 0
        } else {
            let model = try TransformerModel(parameters: config.initialParameters(vocabularySize: vocabulary.size))
            session = try TrainingSession(
                model: model, optimizer: config.optimizer, schedule: config.learningRateSchedule,
                maxGradientNorm: ProxyRunConfig.maxGradientNorm)
            curve = []
            elapsedBeforeResume = 0
        }
        self.batches = batches
        self.config = config
        self.compressor = compressor
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String?, what: String, path: String) throws -> T {
        guard let text, let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else {
            throw ProxyTrainerError(
                "checkpoint '\(path)' has no readable \(what); it is not a proxy-training checkpoint or is damaged")
        }
        return value
    }

    /// Wall seconds spent in optimizer steps by this process (evaluation excluded).
    private var stepSeconds = 0.0
    /// Steps this process has taken.
    private var stepsThisProcess = 0

    /// Runs the remaining steps, evaluates on the whole valid split, and writes the result.
    /// - Throws: `ProxyTrainerError` when the loss diverges (the last checkpoint is kept).
    public func run() throws -> ProxyRunResult {
        try train(until: config.steps)
        return try finish()
    }

    /// Trains until `limit` steps are done (at most the configured steps), with the configured
    /// periodic evaluations and checkpoints.
    /// - Throws: `ProxyTrainerError` when the loss diverges (the last checkpoint is kept).
    public func train(until limit: Int) throws {
        let flopsPerStep = config.flopsPerStep(vocabularySize: vocabulary.size)
        let tokensPerStep = config.batch * config.context
        let start = Clock.now
        var window = (loss: 0.0, raw: 0.0, rawCount: 0, compressed: 0.0, compressedCount: 0, steps: 0)
        var step = session.stepsTaken
        if step == 0 && curve.isEmpty && config.evaluateEvery > 0 {
            try recordPoint(step: 0, flopsPerStep: flopsPerStep, window: nil, wall: 0, evaluation: evaluate(final: false))
        }
        while step < min(limit, config.steps) {
            let batch = try batches.nextBatch(step: step, batchSize: config.batch)
            let stepStart = Clock.now
            let report: StepReport
            do {
                report = try session.step(batch.training)
            } catch let error as EngineError {
                if case .nonFiniteLoss = error {
                    throw ProxyTrainerError("\(error). The last good checkpoint is kept in \(directory).")
                }
                throw error
            }
            stepSeconds += Clock.seconds(since: stepStart)
            stepsThisProcess += 1
            step += 1
            window.loss += Double(report.loss)
            window.steps += 1
            if let losses = session.model.lastLosses() {
                let split = batch.lossByView(losses)
                if let raw = split.raw { window.raw += raw; window.rawCount += 1 }
                if let compressed = split.compressed { window.compressed += compressed; window.compressedCount += 1 }
            }
            progress(step, config.steps, Double(tokensPerStep * stepsThisProcess) / max(stepSeconds, 1e-9), Double(report.loss))
            let evaluateNow = config.evaluateEvery > 0 && step % config.evaluateEvery == 0 && step < config.steps
            if evaluateNow || step % config.checkpointEvery == 0 || step == config.steps {
                let point = (
                    loss: window.loss / Double(max(1, window.steps)),
                    raw: window.rawCount > 0 ? window.raw / Double(window.rawCount) : nil,
                    compressed: window.compressedCount > 0 ? window.compressed / Double(window.compressedCount) : nil
                )
                let evaluation = evaluateNow ? try evaluate(final: false) : nil
                try recordPoint(
                    step: step, flopsPerStep: flopsPerStep, window: point,
                    wall: elapsedBeforeResume + Clock.seconds(since: start), evaluation: evaluation)
                window = (0, 0, 0, 0, 0, 0)
                try saveCheckpoint()
            }
        }
    }

    /// Evaluates the trained model on the whole valid split and writes model, curve and result.
    private func finish() throws -> ProxyRunResult {
        let step = session.stepsTaken
        let flopsPerStep = config.flopsPerStep(vocabularySize: vocabulary.size)
        let final = try evaluate(final: true)
        if var last = curve.last, last.step == step {
            last.rawBitsPerByte = final.rawBitsPerByte
            curve[curve.count - 1] = last
        }
        // The compressor's own view, for runs that trained on it alone (the classic token model).
        var ownView: RawByteEvaluation?
        if let compressor, config.schedule.peakRate >= 1, config.schedule.initialRate >= 1 {
            ownView = try RawByteEvaluator.evaluateCompressedView(
                model: session.model, documents: validation, compressor: compressor, vocabulary: vocabulary,
                batchSize: config.batch)
            log(String(format: "compressed-view evaluation: %.4f bits per raw byte", ownView?.rawBitsPerByte ?? 0))
        }
        let tokensPerSecond = stepSeconds > 0 ? Double(config.batch * config.context * stepsThisProcess) / stepSeconds : 0
        let counts = batches.streamState.drawCounts
        let seen = batches.streamState
        let compressorRecord = compressor.map {
            CompressorDescriptorRecord(
                spec: $0.descriptor.spec.description, alphabetSize: $0.descriptor.alphabetSize,
                trainBytesPerSymbol: seen.compressedSymbols > 0
                    ? Double(seen.compressedRawBytes) / Double(seen.compressedSymbols) : nil)
        }
        let result = ProxyRunResult(
            config: config, compressorDescriptor: compressorRecord, vocabularySize: vocabulary.size,
            parameters: session.model.config.parameterCount, flopsPerStep: flopsPerStep,
            flopsFormula: ProxyRunConfig.flopsFormula, evaluation: final, compressedViewEvaluation: ownView, curve: curve,
            drawCounts: ["raw": counts[0], "compressed": counts[1], "both": counts[2]], tokensPerSecond: tokensPerSecond,
            blasCore: BLASKernel.loadedCore)
        try session.model.parameters.save(
            to: file("model.safetensors"), extraMetadata: ["proxy.config": Self.json(config)])
        try AtomicFile.writeJSON(curve, to: file("curve.json"))
        try AtomicFile.writeJSON(result, to: file("result.json"))
        return result
    }

    private func evaluate(final: Bool) throws -> RawByteEvaluation {
        let documents = final ? validation : evaluationSample
        let evaluation = try RawByteEvaluator.evaluate(model: session.model, documents: documents, batchSize: config.batch)
        log(
            String(
                format: "%@ evaluation: %.4f raw bits per byte over %d bytes", final ? "final" : "periodic",
                evaluation.rawBitsPerByte, evaluation.bytes))
        return evaluation
    }

    private func recordPoint(
        step: Int, flopsPerStep: Double, window: (loss: Double, raw: Double?, compressed: Double?)?, wall: Double,
        evaluation: RawByteEvaluation?
    ) throws {
        curve.append(
            CurvePoint(
                step: step, flops: Double(step) * flopsPerStep, tokens: step * config.batch * config.context,
                trainLoss: window?.loss, rawLoss: window?.raw, compressedLoss: window?.compressed,
                rawBitsPerByte: evaluation?.rawBitsPerByte, wallSeconds: wall))
        if let window {
            log(
                String(
                    format: "step %d/%d  loss %.4f  raw %@  compressed %@  %.3g FLOPs", step, config.steps, window.loss,
                    window.raw.map { String(format: "%.4f", $0) } ?? "-",
                    window.compressed.map { String(format: "%.4f", $0) } ?? "-",
                    Double(step) * flopsPerStep))
        }
    }

    /// Writes the weights the run starts from to `initial.safetensors` (the weights format, with
    /// the run's config in `proxy.config`), so another trainer can start from the same weights.
    /// - Throws: `ProxyTrainerError` once a step was taken; `EngineError` when the write fails.
    public func saveInitialWeights() throws {
        guard session.stepsTaken == 0 else {
            throw ProxyTrainerError(
                "the run in \(directory) has taken \(session.stepsTaken) steps; its initial weights can only be written before the first"
            )
        }
        try session.model.parameters.save(
            to: file(Self.initialWeightsFile), extraMetadata: ["proxy.config": Self.json(config)])
    }

    /// Writes the checkpoint atomically: everything needed to continue, in one file.
    public func saveCheckpoint() throws {
        let checkpoint = session.checkpoint(userMetadata: [
            "proxy.config": Self.json(config), "proxy.batches": Self.json(batches.state), "proxy.curve": Self.json(curve),
        ])
        try checkpoint.save(to: file(Self.checkpointFile))
        try AtomicFile.writeJSON(curve, to: file("curve.json"))
    }

    private func file(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
