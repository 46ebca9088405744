import ArgumentParser
import Foundation
import Pipelines
import ProxyTrainer
import Reports
import WorkbenchCore

/// `workbench compare`: the main job. Measures each compressor on one corpus split, trains a
/// proxy model per compressor plus the bytes-only baseline at one budget, and writes a run
/// directory with results and reports.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare compressors as proxies: rate, statistics and proxy training, with HTML and Markdown reports.",
        discussion: """
            Stages (--stages): rate builds each compressor (training it on the train split if it learns), \
            encodes every document of the split, checks every symbol against the alphabet, decodes every document \
            and compares it with the original, and times encode and decode (median of --passes passes, one \
            thread); stats adds symbol usage, collisions and stability; train trains a proxy model per compressor \
            (rate --train-rate, the paper's schedule) and a bytes-only baseline at the same FLOPs budget \
            (--preset, --budget-flops) and evaluates raw-byte bits per byte on the split. \
            Each compressor's rate and stats stages run in a child process with --timeout, so a compressor that \
            crashes, hangs or breaks the round trip becomes a failed row and the others go on (exit code 1). \
            Those stages stream the split from disk in batches of 256 KiB on every pass: memory is bounded by the \
            batch and the longest document, not by the corpus (but the collision table grows with the distinct \
            strings each symbol stands for, and the train stage and a compressor that trains on the corpus read \
            its train split into memory). \
            Every finished stage is saved under DIR/stages and DIR/train; --resume continues an interrupted run. \
            Writes DIR/config.json, environment.json, results.json (schema workbench.results/1), report.md, \
            report.html (self-contained, inline SVG charts) and results.csv.
            Example: workbench compare --compressors bytes,gzip,zstd,brotli --compressor zstd:level=3 --stages rate,stats
            """)

    @Option(help: ArgumentHelp("Comma list of compressor ids with default options, e.g. bytes,gzip,zstd.", valueName: "ids"))
    var compressors: String?

    @Option(
        name: .customLong("compressor"),
        help: ArgumentHelp("One compressor spec with options (repeatable), e.g. zstd:level=3.", valueName: "spec"))
    var compressorSpecs: [String] = []

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Which split to measure: train, valid, test or all.")
    var split: CorpusSplit = .valid

    @Option(name: .customLong("out"), help: ArgumentHelp("The run directory (default reports/run-<UTC time>).", valueName: "dir"))
    var outputDirectory: String?

    @Flag(help: "Replace a run already in the output directory.")
    var force = false

    @Flag(help: "Continue the interrupted run in --out: finished stages are kept, the rest runs.")
    var resume = false

    @Option(help: "Timed passes over the split per compressor; the median is reported.")
    var passes: Int = 3

    @Option(help: ArgumentHelp("Stages to run, comma separated: rate (always), stats, train.", valueName: "list"))
    var stages: String = "rate,stats,train"

    @Option(help: "Documents in the seeded stability sample (the same sample for every compressor).")
    var stabilityDocuments: Int = 16

    @Option(help: "Each stability document is cut to this many bytes.")
    var stabilityMaxBytes: Int = 8192

    @Option(help: "Seed of every random choice in the run (stability sample, perturbations, training).")
    var seed: UInt64 = 0

    @Option(help: "Seconds one compressor's rate and stats stages may take before its row fails.")
    var timeout: Double = 3600

    @Option(help: "Proxy-training preset: quick (minutes) or paper (hours).")
    var preset: ProxyRunConfig.Preset = .quick

    @Option(
        name: .customLong("budget-flops"),
        help: "Training FLOPs per model (overrides the preset); the same for every compressor and the baseline.")
    var budgetFLOPs: Double?

    @Option(help: "Compression rate of the proxy runs after the warm-up.")
    var trainRate: Double = 0.9

    func validate() throws {
        if compressors == nil && compressorSpecs.isEmpty {
            throw ValidationError("name at least one compressor with --compressors ids or --compressor spec")
        }
        if passes < 1 { throw ValidationError("--passes must be at least 1") }
        for name in stageList where CompareStage(rawValue: name) == nil {
            throw ValidationError(
                "unknown stage '\(name)'; stages: \(CompareStage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard stageList.contains(CompareStage.rate.rawValue) else {
            throw ValidationError("--stages must include rate: every other stage reads its verified encodings")
        }
        if stabilityDocuments < 1 || stabilityMaxBytes < 1 {
            throw ValidationError("--stability-documents and --stability-max-bytes must be at least 1")
        }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
        if !(0...1).contains(trainRate) { throw ValidationError("--train-rate must be within 0...1") }
        if resume && force { throw ValidationError("--resume continues a run; --force replaces it: choose one") }
        if resume && outputDirectory == nil { throw ValidationError("--resume needs --out DIR, the run to continue") }
    }

    private var stageList: [String] { stages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        var specs = try compressors.map(CompressorRegistry.parseIDList) ?? []
        for text in compressorSpecs { specs.append(try CompressorSpec(parsing: text)) }
        var training = ProxyRunPlan(corpus: "", corpusSHA256: "")
        training.preset = preset
        training.budgetFLOPs = budgetFLOPs
        training.rate = trainRate
        training.seed = seed
        let plan = Comparison.Plan(
            specs: specs, corpus: try corpusArguments.openStream(), split: split,
            runDirectory: RunDirectory(path: outputDirectory ?? "reports/run-\(Timestamp.compact(Date()))"),
            stages: stageList.compactMap(CompareStage.init(rawValue:)), passes: passes,
            statistics: CompressorMeasurement.StatisticsPlan(
                stabilityDocuments: stabilityDocuments, stabilityMaxBytes: stabilityMaxBytes, seed: seed),
            training: training, start: resume ? .resume : force ? .replace : .fresh,
            arguments: Array(CommandLine.arguments.dropFirst()))
        let registry = try BuiltinsRegistry.shared
        let outcome = try Comparison(plan: plan, registry: registry, measure: MeasuringChild.spawning(timeoutSeconds: timeout))
            .run()
        print(outcome.reportPath)
        let failed = outcome.failedRows
        if !failed.isEmpty {
            throw WorkbenchError(
                "\(failed.count) of \(outcome.results.compressors.count) compressors failed: \(failed.map(\.spec.description).joined(separator: ", ")); see \(plan.runDirectory.file("report.md"))"
            )
        }
    }
}
