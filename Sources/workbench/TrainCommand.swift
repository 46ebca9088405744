import ArgumentParser
import Foundation
import NeuralEngine
import Pipelines
import ProxyTrainer
import WorkbenchCore

/// `workbench train`: one proxy-training run at a fixed compute budget.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a proxy model on raw bytes and a compressor's view, evaluate raw-byte bits per byte.",
        discussion: """
            Documents of the train split are compressed once; each enters the stream compressed with rate r \
            (per-document seeded draw). Default schedule (the paper's, scaled to the run): the first 20% of \
            steps in translation_random with r rising from 0.4 to --rate, then --mode at --rate. Baselines: \
            bytes only (omit --compressor, or --rate 0); compressed only (--rate 1 --warmup-fraction 0, which \
            also reports the compressor's own view in bits per raw byte); no warm-up (--warmup-fraction 0). \
            The budget is in FLOPs (--budget-flops, counted as 6N + attention per token) or steps (--steps). \
            The trainer's options are the same as compare's (where --rate and --mode are also --train-rate \
            and --train-mode). Writes DIR/config.json, checkpoint.safetensors (atomic, every --checkpoint-every \
            steps), curve.json, model.safetensors and result.json (and initial.safetensors with --save-initial-weights); \
            --resume continues an interrupted run exactly. \
            The same seed on the same machine and build gives bit-identical weights.
            Example: workbench train --compressor bpe --rate 0.9 --preset paper --out runs/bpe-proxy
            """)

    @Option(
        name: .customLong("compressor"),
        help: ArgumentHelp("The compressed view's spec (omit for bytes only).", valueName: "spec"))
    var compressorSpec: String?

    @OptionGroup var corpusArguments: CorpusArguments

    @OptionGroup(title: "Proxy training") var trainer: TrainerOptions

    @OptionGroup(title: "The run") var runOptions: RunOptions

    @Option(parsing: .unconditional, help: "Threads for the engine (default: all cores).") var threads: Int?

    @Option(name: .customLong("out"), help: ArgumentHelp("The run directory.", valueName: "dir"))
    var outputDirectory: String

    @Flag(help: "Continue the interrupted run in --out from its checkpoint (same options required).")
    var resume = false

    @Flag(help: "Replace a finished or started run in --out.")
    var force = false

    /// The settings of this one run.
    var settings: TrainerSettings { runOptions.settings(trainer) }

    func validate() throws {
        do {
            try settings.validate()
        } catch let error as ProxyTrainerError {
            throw ValidationError(error.message)
        }
        if (trainer.rate ?? 0) > 0 && compressorSpec == nil { throw ValidationError("--rate above 0 needs --compressor") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be within 1...256, got \(threads)") }
        if resume && force { throw ValidationError("--resume continues a run; --force replaces it: choose one") }
    }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        if let threads { EngineThreads.set(threads) }
        let (corpus, training, validation) = try corpusArguments.loadTrainAndValid(for: "training")
        let compressor = try BuiltinsRegistry.makeCompressor(compressorSpec, training: training, corpusSHA256: corpus.sha256)
        let settings = self.settings
        let (config, reason) = try settings.runConfig(
            compressor: compressor?.descriptor, corpus: corpus.path, corpusSHA256: corpus.sha256)
        let view = config.compressedView
        if compressor != nil { log.info("compressed view: \(view.rawValue) (\(reason))") }
        if config.steps < settings.minimumSteps {
            log.warning(
                "UNDERTRAINED: \(config.steps) steps, fewer than --min-steps \(settings.minimumSteps); raise the budget\(view == .ids && (compressor?.descriptor.alphabetSize ?? 0) > 256 ? " or use --compressed-view bytes" : "")"
            )
        }
        try prepareDirectory()
        let job = ProxyTrainingJob(
            config: config, directory: outputDirectory, compressor: compressor, training: training, validation: validation,
            label: "train \(compressor?.descriptor.spec.description ?? "bytes") r=\(config.schedule.peakRate)", logsSteps: true)
        _ = try job.run(resume: resume, savingInitialWeights: runOptions.saveInitialWeights)
        print(outputDirectory + "/result.json")
    }

    private func prepareDirectory() throws {
        let manager = FileManager.default
        let checkpoint = outputDirectory + "/checkpoint.safetensors"
        if resume {
            guard manager.fileExists(atPath: checkpoint) else {
                throw WorkbenchError("nothing to resume: '\(checkpoint)' does not exist")
            }
            return
        }
        let started = ["checkpoint.safetensors", "result.json"].filter { manager.fileExists(atPath: outputDirectory + "/" + $0) }
        if !started.isEmpty && !force {
            throw WorkbenchError(
                "'\(outputDirectory)' already holds a run (\(started.joined(separator: ", "))); pass --resume to continue it, --force to replace it, or choose another --out"
            )
        }
        try manager.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
    }
}
