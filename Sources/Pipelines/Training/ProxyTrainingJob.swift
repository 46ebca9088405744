import Foundation
import ProxyTrainer
import WorkbenchCore

/// One proxy-training run as the commands run it: the configuration written into its directory,
/// the run started or resumed from its checkpoint, progress on standard error, the result.
public struct ProxyTrainingJob {
    /// The run's configuration.
    public var config: ProxyRunConfig
    /// The run directory.
    public var directory: String
    /// The compressed view (nil for bytes only).
    public var compressor: (any Compressor)?
    /// Training documents (the train split) and evaluation documents.
    public var training: [[UInt8]]
    /// Documents the final evaluation scores.
    public var validation: [[UInt8]]
    /// What the progress line calls this run.
    public var label: String
    /// Whether every periodic step line goes to the log (one run) or only the bar (many runs).
    public var logsSteps: Bool

    /// Creates a job.
    public init(
        config: ProxyRunConfig, directory: String, compressor: (any Compressor)?, training: [[UInt8]],
        validation: [[UInt8]], label: String, logsSteps: Bool
    ) {
        self.config = config
        self.directory = directory
        self.compressor = compressor
        self.training = training
        self.validation = validation
        self.label = label
        self.logsSteps = logsSteps
    }

    /// Writes `config.json`, trains (resuming from the checkpoint when `resume`), evaluates.
    /// - Parameter savingInitialWeights: also write `initial.safetensors`, the weights before the
    ///   first step (a resumed run wrote them when it started).
    /// - Throws: `ProxyTrainerError`, `EngineError`, `CodecError`, file errors.
    public func run(resume: Bool, savingInitialWeights: Bool = false) throws -> ProxyRunResult {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.writeJSON(config, to: directory + "/config.json")
        let run = try ProxyTrainingRun(
            directory: directory, config: config, training: training, validation: validation, compressor: compressor,
            resume: resume)
        if savingInitialWeights && run.session.stepsTaken == 0 { try run.saveInitialWeights() }
        let bar = ProgressReporter()
        bar.begin("\(label) (\(config.steps) steps)")
        run.log = logsSteps ? { message in log.info("\(message)") } : { _ in }
        run.progress = { step, total, speed, loss in
            bar.update(step, of: total, detail: String(format: "loss %.3f, %.0f tok/s", loss, speed))
        }
        let result = try run.run()
        bar.end(String(format: "%.4f raw bits per byte after %d steps", result.evaluation.rawBitsPerByte, config.steps))
        return result
    }
}
