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
            Writes DIR/config.json, checkpoint.safetensors (atomic, every --checkpoint-every steps), \
            curve.json, model.safetensors and result.json; --resume continues an interrupted run exactly.
            Example: workbench train --compressor bpe --rate 0.9 --preset paper --out runs/bpe-proxy
            """)

    @Option(
        name: .customLong("compressor"),
        help: ArgumentHelp("The compressed view's spec (omit for bytes only).", valueName: "spec"))
    var compressorSpec: String?

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Compression rate r after the warm-up: the share of documents fed compressed (0...1).")
    var rate: Double?

    @Option(
        help: ArgumentHelp(
            "Stream mode after the warm-up: \(StreamMode.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "mode"))
    var mode: String = StreamMode.sentinel.rawValue

    @Option(help: "Share of steps in the warm-up phase (0 disables it).")
    var warmupFraction: Double = 0.2

    @Option(help: "Rate at the start of the warm-up.")
    var initialRate: Double = 0.4

    @Option(help: ArgumentHelp("Stream mode during the warm-up.", valueName: "mode"))
    var warmupMode: String = StreamMode.translationRandom.rawValue

    @Option(help: "Model and budget preset: quick or paper.")
    var preset: ProxyRunConfig.Preset = .quick

    @Option(help: "Model width (overrides the preset).") var width: Int?
    @Option(help: "Transformer blocks (overrides the preset).") var layers: Int?
    @Option(help: "Attention heads (overrides the preset).") var heads: Int?
    @Option(help: "Training sequence length (overrides the preset).") var context: Int?
    @Option(help: "Sequences per step (overrides the preset).") var batch: Int?
    @Option(help: "Peak learning rate (overrides the preset).") var learningRate: Float?
    @Option(help: "AdamW weight decay.") var weightDecay: Float = 0.1

    @Option(name: .customLong("budget-flops"), help: "Compute budget in training FLOPs (overrides the preset).")
    var budgetFLOPs: Double?

    @Option(help: "Optimizer steps instead of a FLOPs budget.")
    var steps: Int?

    @Flag(help: "Add the extra raw head that predicts the byte after next (reference loss weights).")
    var extraHead = false

    @Flag(help: "Byte-valued compressors share the raw-byte embedding rows instead of their own.")
    var sharedByteEmbedding = false

    @Option(help: "Seed of initialization, shuffles and draws.") var seed: UInt64 = 0
    @Option(
        help:
            "Evaluations on the sample during the run, at most: together they may cost at most half the training FLOPs, so a large vocabulary gets fewer."
    ) var evaluations: Int = 10
    @Option(help: "Bytes of the valid split in the periodic evaluation sample.") var evaluationSampleBytes: Int = 65_536
    @Option(help: "Checkpoint every this many steps (default: 20 checkpoints per run).") var checkpointEvery: Int?
    @Option(help: "Threads for the engine (default: all cores).") var threads: Int?

    @Option(name: .customLong("out"), help: ArgumentHelp("The run directory.", valueName: "dir"))
    var outputDirectory: String

    @Flag(help: "Continue the interrupted run in --out from its checkpoint (same options required).")
    var resume = false

    @Flag(help: "Replace a finished or started run in --out.")
    var force = false

    func validate() throws {
        if let rate, !(0...1).contains(rate) { throw ValidationError("--rate must be within 0...1, got \(rate)") }
        if !(0...1).contains(initialRate) { throw ValidationError("--initial-rate must be within 0...1") }
        if !(0..<1).contains(warmupFraction) { throw ValidationError("--warmup-fraction must be within 0..<1") }
        if StreamMode(rawValue: mode) == nil || StreamMode(rawValue: warmupMode) == nil {
            throw ValidationError("unknown mode; modes: \(StreamMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if budgetFLOPs != nil && steps != nil { throw ValidationError("give --budget-flops or --steps, not both") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let budgetFLOPs, !(budgetFLOPs > 0) { throw ValidationError("--budget-flops must be positive") }
        if (rate ?? 0) > 0 && compressorSpec == nil { throw ValidationError("--rate above 0 needs --compressor") }
        if evaluations < 1 { throw ValidationError("--evaluations must be at least 1") }
        if resume && force { throw ValidationError("--resume continues a run; --force replaces it: choose one") }
    }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        if let threads { EngineThreads.set(threads) }
        let corpus = try corpusArguments.load()
        let training = corpus.bytes(in: .train)
        let validation = corpus.bytes(in: .valid)
        guard !training.isEmpty, !validation.isEmpty else {
            throw WorkbenchError(
                "'\(corpus.path)' has \(training.count) train and \(validation.count) valid documents; training needs both (\(CorpusSplit.ruleDescription))"
            )
        }
        let context = TrainingContext.make(.documents(training, corpusSHA256: corpus.sha256))
        let compressor = try compressorSpec.map {
            try BuiltinsRegistry.shared.makeCompressor(try CompressorSpec(parsing: $0), context: context)
        }
        let config = try makeConfig(corpus: corpus, compressor: compressor)
        try prepareDirectory()
        let job = ProxyTrainingJob(
            config: config, directory: outputDirectory, compressor: compressor, training: training, validation: validation,
            label: "train \(compressor?.descriptor.spec.description ?? "bytes") r=\(config.schedule.peakRate)", logsSteps: true)
        _ = try job.run(resume: resume)
        print(outputDirectory + "/result.json")
    }

    private func makeConfig(corpus: Corpus, compressor: (any Compressor)?) throws -> ProxyRunConfig {
        var plan = ProxyRunPlan(corpus: corpus.path, corpusSHA256: corpus.sha256)
        plan.compressor = compressor?.descriptor
        plan.preset = preset
        (plan.width, plan.layers, plan.heads, plan.context, plan.batch) = (width, layers, heads, context, batch)
        plan.learningRate = learningRate
        plan.weightDecay = weightDecay
        plan.budgetFLOPs = budgetFLOPs
        plan.steps = steps
        plan.rate = rate
        plan.mode = StreamMode(rawValue: mode) ?? .sentinel
        plan.warmupFraction = warmupFraction
        plan.initialRate = initialRate
        plan.warmupMode = StreamMode(rawValue: warmupMode) ?? .translationRandom
        plan.extraHead = extraHead
        plan.sharedByteEmbedding = sharedByteEmbedding
        plan.seed = seed
        plan.evaluations = evaluations
        plan.evaluationSampleBytes = evaluationSampleBytes
        plan.checkpointEvery = checkpointEvery
        return try plan.config()
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

extension ProxyRunConfig.Preset: ExpressibleByArgument {}
