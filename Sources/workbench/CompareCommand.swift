import ArgumentParser
import Foundation
import Pipelines
import ProxyTrainer
import WorkbenchCore

/// `workbench compare`: the main job. Measures each compressor on one corpus split, trains a
/// proxy model per compressor plus the bytes-only baseline over seeds and budgets, and writes a
/// run directory with results and reports.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare compressors as proxies: rate, statistics and proxy training, with HTML and Markdown reports.",
        discussion: """
            Stages (--stages): rate builds each compressor (training it on the train split if it learns), \
            encodes every document of the split, checks every symbol against the alphabet, decodes every document \
            and compares it with the original, and times encode and decode (median of --passes passes, one \
            thread); stats adds symbol usage, collisions and stability; train trains a proxy model per compressor \
            and a bytes-only baseline, each once per seed (--seeds, from --seed) at every budget (--budgets, \
            each a separate run with its own schedule), and evaluates raw-byte bits per byte on the split: the \
            mean over seeds with a 95% Student-t interval, the seed-paired difference from bytes only, and with \
            two or more budgets a power-law fit and where it crosses the bytes-only line (an extrapolation). \
            Cost: runs = (compressors + 1) x seeds x budgets; with 2 seeds a 95% interval is +-12.7 sd/sqrt(2), \
            with 3 +-4.3 sd/sqrt(3), so fewer than 3 seeds rarely separates two models. \
            Each compressor's rate and stats stages run in a child process with --timeout, so a compressor that \
            crashes, hangs or breaks the round trip becomes a failed row and the others go on (exit code 1). \
            Those stages stream the split from disk in batches of 256 KiB on every pass: memory is bounded by the \
            batch and the longest document, not by the corpus (but the collision table grows with the distinct \
            strings each symbol stands for, and the train stage and a compressor that trains on the corpus read \
            its train split into memory). \
            Every finished stage and training run is saved under DIR/stages and DIR/train; --resume continues an \
            interrupted run. Writes DIR/config.json, environment.json, results.json (schema workbench.results/1), \
            report.md, report.html (self-contained, inline SVG charts) and results.csv.
            Example: workbench compare --compressors bytes,gzip,zstd,brotli --compressor zstd:level=3 --stages rate,stats
            Example: workbench compare --compressors bpe --seeds 3 --budgets 1e12,4e12,1.6e13
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

    @Flag(help: "Continue the interrupted run in --out: finished stages and training runs are kept, the rest runs.")
    var resume = false

    @Option(parsing: .unconditional, help: "Timed passes over the split per compressor; the median is reported.")
    var passes: Int = 3

    @Option(
        help: ArgumentHelp(
            "Stages to run, comma separated: rate (always), stats, train, robust (every trained model scored on perturbed copies of the split; needs train).",
            valueName: "list"))
    var stages: String = "rate,stats,train,robust"

    @Option(parsing: .unconditional, help: "Documents in the seeded stability sample (the same sample for every compressor).")
    var stabilityDocuments: Int = 16

    @Option(parsing: .unconditional, help: "Each stability document is cut to this many bytes.")
    var stabilityMaxBytes: Int = 8192

    @Option(parsing: .unconditional, help: "Seconds one compressor's rate and stats stages may take before its row fails.")
    var timeout: Double = 3600

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Bytes of the measured split the robust stage scores each model on: an equal share of whole lines from the middle of every document (0: all of it). Default: 32768 with --preset quick, 131072 with paper.",
            valueName: "bytes"))
    var robustSampleBytes: Int?

    @OptionGroup(title: "Proxy training (the train stage)") var trainer: TrainerOptions

    @Option(
        parsing: .unconditional,
        help: "Seeds per model: every model, the baseline included, trains once per seed (--seed, --seed + 1, ...).")
    var seeds: Int = 3

    @Option(
        help: ArgumentHelp(
            "Training FLOPs budgets, comma separated (e.g. 1e12,4e12,1.6e13): every model and seed trains once at each, with its own learning-rate schedule. The largest is the main budget of the reports. Default: --budget-flops, else the preset's.",
            valueName: "list"))
    var budgets: String?

    /// The budgets asked for, nil when none.
    private var budgetList: [Double]? {
        get throws {
            guard let budgets else { return nil }
            return try budgets.split(separator: ",", omittingEmptySubsequences: false).map { part in
                let text = part.trimmingCharacters(in: .whitespaces)
                guard let value = Double(text) else {
                    throw ValidationError("--budgets: '\(text)' is not a number of FLOPs (write e.g. 1e12,4e12)")
                }
                return value
            }
        }
    }

    /// The compressors asked for, in order.
    private var specs: [CompressorSpec] {
        get throws {
            var specs: [CompressorSpec] = []
            if let compressors {
                guard !compressors.split(separator: ",").isEmpty else {
                    throw ValidationError("--compressors '\(compressors)' names no compressor; write ids such as bytes,gzip,zstd")
                }
                do {
                    specs = try CompressorRegistry.parseIDList(compressors)
                } catch {
                    throw ValidationError(error.message)
                }
            }
            for text in compressorSpecs {
                do {
                    specs.append(try CompressorSpec(parsing: text))
                } catch {
                    throw ValidationError(error.message)
                }
            }
            return specs
        }
    }

    /// The training settings of this comparison.
    private var settings: TrainerSettings {
        get throws {
            trainer.settings(seeds: seeds, budgets: try budgetList)
        }
    }

    func validate() throws {
        let specs = try self.specs
        if specs.isEmpty {
            throw ValidationError("name at least one compressor with --compressors ids or --compressor spec")
        }
        let repeated = Dictionary(grouping: specs.map(\.description), by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        if !repeated.isEmpty {
            throw ValidationError(
                "compressor \(repeated.joined(separator: ", ")) is named twice; each compressor is measured once")
        }
        if passes < 1 { throw ValidationError("--passes must be at least 1, got \(passes)") }
        for name in stageList where CompareStage(rawValue: name) == nil {
            throw ValidationError(
                "unknown stage '\(name)'; stages: \(CompareStage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard stageList.contains(CompareStage.rate.rawValue) else {
            throw ValidationError("--stages must include rate: every other stage reads its verified encodings")
        }
        if stageList.contains(CompareStage.robust.rawValue) && !stageList.contains(CompareStage.train.rawValue) {
            throw ValidationError("--stages robust scores the trained models: include train")
        }
        if stabilityDocuments < 1 || stabilityMaxBytes < 1 {
            throw ValidationError("--stability-documents and --stability-max-bytes must be at least 1")
        }
        if !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let robustSampleBytes, robustSampleBytes < 0 {
            throw ValidationError("--robust-sample-bytes must be 0 (all) or more, got \(robustSampleBytes)")
        }
        if !(1...100).contains(seeds) { throw ValidationError("--seeds must be within 1...100, got \(seeds)") }
        if budgets != nil && trainer.budgetFLOPs != nil { throw ValidationError("give --budget-flops or --budgets, not both") }
        do {
            try settings.validate()
        } catch let error as ProxyTrainerError {
            throw ValidationError(error.message)
        }
        if resume && force { throw ValidationError("--resume continues a run; --force replaces it: choose one") }
        if resume && outputDirectory == nil { throw ValidationError("--resume needs --out DIR, the run to continue") }
    }

    private var stageList: [String] { stages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        var plan = Comparison.Plan(
            specs: try specs, corpus: try corpusArguments.openStream(), split: split, splitRule: corpusArguments.splitRule,
            runDirectory: RunDirectory(path: outputDirectory ?? "reports/run-\(Timestamp.compact(Date()))"),
            stages: stageList.compactMap(CompareStage.init(rawValue:)), passes: passes,
            statistics: CompressorMeasurement.StatisticsPlan(
                stabilityDocuments: stabilityDocuments, stabilityMaxBytes: stabilityMaxBytes, seed: trainer.seed),
            training: try settings, start: resume ? .resume : force ? .replace : .fresh,
            arguments: Array(CommandLine.arguments.dropFirst()))
        plan.robustSampleBytes = robustSampleBytes
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
