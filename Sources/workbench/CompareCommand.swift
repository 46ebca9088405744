import ArgumentParser
import Foundation
import NeuralEngine
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

    @Option(name: .customLong("compressor"), help: ArgumentHelp("One compressor spec with options (repeatable), e.g. zstd:level=3.", valueName: "spec"))
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

    @Option(name: .customLong("budget-flops"), help: "Training FLOPs per model (overrides the preset); the same for every compressor and the baseline.")
    var budgetFLOPs: Double?

    @Option(help: "Compression rate of the proxy runs after the warm-up.")
    var trainRate: Double = 0.9

    func validate() throws {
        if compressors == nil && compressorSpecs.isEmpty {
            throw ValidationError("name at least one compressor with --compressors ids or --compressor spec")
        }
        if passes < 1 { throw ValidationError("--passes must be at least 1") }
        for name in stageList where CompareStage(rawValue: name) == nil {
            throw ValidationError("unknown stage '\(name)'; stages: \(CompareStage.allCases.map(\.rawValue).joined(separator: ", "))")
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
    private func runs(_ stage: CompareStage) -> Bool { stageList.contains(stage.rawValue) }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        var specs = try compressors.map(CompressorRegistry.parseIDList) ?? []
        for text in compressorSpecs { specs.append(try CompressorSpec(parsing: text)) }
        // Fail on unknown ids and bad options before reading anything.
        for spec in specs {
            let entry = try BuiltinsRegistry.shared.entry(for: spec.id)
            _ = try ResolvedOptions(spec.options, specs: entry.options, compressor: spec.id)
        }

        // The parent streams the corpus for its counts and fingerprint; it loads it into memory
        // only for the train stage, after the measurements (the children stream it too).
        let stream = try corpusArguments.openStream()
        let scan = try stream.scan()
        let (counts, skippedLines) = try SplitCounts.count(stream, measured: split)
        for skipped in skippedLines { log.warning("skipped \(skipped)") }
        guard counts.allDocuments > 0 else {
            throw WorkbenchError(
                "corpus '\(stream.path)' has no documents: all \(skippedLines.count) of its lines were skipped as bad (see the warnings above); fix them or choose the field with --text-field")
        }
        if runs(.train) {
            // The smallest model (bytes only) must afford one step, or no training can run: refuse now.
            var plan = ProxyRunPlan(corpus: stream.path, corpusSHA256: scan.sha256)
            plan.preset = preset
            plan.budgetFLOPs = budgetFLOPs
            _ = try plan.config()
            guard counts.trainDocuments > 0 else {
                throw WorkbenchError("the train split of '\(stream.path)' is empty (\(counts.allDocuments) documents in all); the train stage needs it, or leave train out of --stages")
            }
        }
        guard counts.measuredDocuments > 0 else {
            throw WorkbenchError(
                "the \(split.rawValue) split of '\(stream.path)' is empty (\(counts.allDocuments) documents in all; \(CorpusSplit.ruleDescription)); use --split all or a larger corpus")
        }
        let runDirectory = RunDirectory(path: outputDirectory ?? defaultOutputDirectory())
        let config = CompareConfig(
            workbenchVersion: WorkbenchVersion.current, arguments: Array(CommandLine.arguments.dropFirst()),
            compressors: specs.map(\.description), corpus: stream.path, corpusSHA256: scan.sha256, split: split.rawValue,
            passes: passes, textField: corpusArguments.textField, skipBadLines: corpusArguments.skipBadLines,
            stages: stageList, seed: seed, stabilityDocuments: stabilityDocuments, stabilityMaxBytes: stabilityMaxBytes,
            preset: preset.rawValue, budgetFLOPs: budgetFLOPs, trainRate: trainRate)
        if resume {
            try checkResumable(runDirectory, config: config)
        } else {
            try runDirectory.prepare(force: force)
            if force {
                // Everything an earlier compare wrote goes, so nothing of it is reused or mistaken
                // for this run's (the shared compressor cache stays: it is keyed by its inputs).
                for entry in ["stages", "train", "artifacts", "results.json", "results.csv", "report.md", "report.html", "environment.json"] {
                    try? FileManager.default.removeItem(atPath: runDirectory.file(entry))
                }
            }
            try AtomicFile.writeJSON(config, to: runDirectory.file("config.json"))
        }
        let corpusRecord = CorpusRecord(
            name: stream.name, path: stream.path, sha256: scan.sha256, split: split.rawValue,
            splitRule: CorpusSplit.ruleDescription, documents: counts.measuredDocuments,
            bytes: counts.measuredBytes, skippedBadLines: skippedLines.count)
        log.info("\(stream.name): \(counts.measuredDocuments) documents, \(corpusRecord.bytes) bytes in the \(split.rawValue) split")

        // Rate and statistics: one child process per compressor.
        try FileManager.default.createDirectory(atPath: runDirectory.file("stages"), withIntermediateDirectories: true)
        var rows: [CompressorResult] = []
        for (index, spec) in specs.enumerated() {
            rows.append(try measureInChild(spec, index: index, corpusSHA256: scan.sha256, runDirectory: runDirectory))
        }

        // Training: every compressor that passed, and the bytes-only baseline, at one budget.
        var baseline: ProxyRecord?
        if runs(.train) {
            let corpus = try corpusArguments.load()
            guard corpus.sha256 == scan.sha256 else {
                throw WorkbenchError(
                    "corpus '\(stream.path)' changed while the comparison ran (sha256 \(scan.sha256) at the start, \(corpus.sha256) now); its measurements no longer match it: rerun on a corpus that stays put")
            }
            let stage = TrainStage(
                corpus: corpus, split: split, runDirectory: runDirectory, preset: preset, budgetFLOPs: budgetFLOPs,
                rate: trainRate, seed: seed)
            baseline = stage.train(specIndex: nil, spec: nil)
            for index in rows.indices where rows[index].status == .ok {
                rows[index].proxy = stage.train(specIndex: index, spec: try CompressorSpec(parsing: rows[index].spec))
                if rows[index].proxy == nil {
                    rows[index].status = .failed
                    rows[index].error = "proxy training failed; see the log above and \(runDirectory.file("train"))"
                }
            }
        }

        let libraries = Dictionary(
            rows.compactMap { row in
                row.descriptor.flatMap { d in d.libraryName.map { ($0, d.libraryVersion ?? "unknown") } }
            }, uniquingKeysWith: { first, _ in first })
        let environment = RunEnvironment.current(
            libraries: libraries, threadsUsed: runs(.train) ? EngineThreads.count : 1, seeds: ["run": seed])
        try AtomicFile.writeJSON(environment, to: runDirectory.file("environment.json"))
        let stagesRecord = StagesRecord(
            ran: stageList, stabilitySeed: runs(.stats) ? seed : nil, stabilityDocuments: runs(.stats) ? min(stabilityDocuments, counts.measuredDocuments) : nil,
            stabilityMaxBytes: runs(.stats) ? stabilityMaxBytes : nil)
        var results = ComparisonResults(
            createdAt: Timestamp.iso8601(Date()), corpus: corpusRecord, stages: stagesRecord, compressors: rows)
        results.baseline = baseline
        results.config = try? JSONValue(encoding: config)
        results.environment = try? JSONValue(encoding: environment)
        // Reports first, results.json last: a results.json that exists belongs to a finished run.
        try RunReports.write(results, into: runDirectory)
        try AtomicFile.writeJSON(results, to: runDirectory.file("results.json"))
        print(runDirectory.file("report.html"))
        let failed = rows.filter { $0.status == .failed }
        if !failed.isEmpty {
            throw WorkbenchError("\(failed.count) of \(rows.count) compressors failed: \(failed.map(\.spec).joined(separator: ", ")); see \(runDirectory.file("report.md"))")
        }
    }

    /// Runs the rate (and stats) stages of one compressor in a child process, or reuses the stage
    /// file an earlier, interrupted run left.
    private func measureInChild(
        _ spec: CompressorSpec, index: Int, corpusSHA256: String, runDirectory: RunDirectory
    ) throws -> CompressorResult {
        let stageFile = runDirectory.file("stages/\(String(format: "%02d", index))-\(StageKey.make(spec.description)).json")
        if resume, let data = FileManager.default.contents(atPath: stageFile),
            let row = try? JSONDecoder().decode(CompressorResult.self, from: data)
        {
            log.info("\(spec): rate\(runs(.stats) ? " and stats" : "") already done (\(stageFile))")
            return row
        }
        var arguments = [
            "_measure", "--spec", spec.description, "--split", split.rawValue, "--passes", String(passes),
            "--stability-documents", String(stabilityDocuments), "--stability-max-bytes", String(stabilityMaxBytes),
            "--seed", String(seed), "--run-directory", runDirectory.path, "--result", stageFile,
            "--text-field", corpusArguments.textField, "--glob", corpusArguments.glob, "--corpus-sha256", corpusSHA256,
        ]
        if let corpus = corpusArguments.corpus { arguments += ["--corpus", corpus] }
        if corpusArguments.skipBadLines { arguments.append("--skip-bad-lines") }
        if runs(.stats) { arguments.append("--statistics") }
        let outcome = try ChildProcess.runSelf(arguments, timeoutSeconds: timeout)
        if outcome.status == 0, let data = FileManager.default.contents(atPath: stageFile),
            let row = try? JSONDecoder().decode(CompressorResult.self, from: data)
        {
            return row
        }
        let reason: String
        if outcome.status == nil {
            reason = "timed out after \(Int(timeout)) s (--timeout)"
        } else if outcome.crashed {
            reason = "crashed (signal \(outcome.status ?? 0))"
        } else {
            reason = "its measurement exited with status \(outcome.status ?? -1)"
        }
        let tail = outcome.standardErrorTail.split(separator: "\n").suffix(3).joined(separator: " | ")
        let row = CompressorResult(
            id: spec.id, spec: spec.description, descriptor: nil, status: .failed,
            error: "\(spec): \(reason)" + (tail.isEmpty ? "" : "; last output: \(tail)"))
        log.error("\(row.error ?? "")")
        return row
    }

    private func checkResumable(_ directory: RunDirectory, config: CompareConfig) throws {
        guard let data = FileManager.default.contents(atPath: directory.file("config.json")),
            var saved = try? JSONDecoder().decode(CompareConfig.self, from: data)
        else {
            throw WorkbenchError("nothing to resume in '\(directory.path)': no readable config.json")
        }
        saved.arguments = config.arguments
        guard saved == config else {
            throw WorkbenchError(
                "'\(directory.path)' holds a run with other settings (see its config.json); resume with the same options, or use --force to start over")
        }
    }

    private func defaultOutputDirectory() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "reports/run-\(formatter.string(from: Date()))"
    }
}

/// The stages `compare` knows.
enum CompareStage: String, CaseIterable {
    case rate, stats, train
}

/// File-name-safe keys for specs.
enum StageKey {
    static func make(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    }
}

/// `config.json` of a comparison: everything needed to run it again.
struct CompareConfig: Codable, Equatable {
    var workbenchVersion: String
    var arguments: [String]
    var compressors: [String]
    var corpus: String
    var corpusSHA256: String
    var split: String
    var passes: Int
    var textField: String
    var skipBadLines: Bool
    var stages: [String]
    var seed: UInt64
    var stabilityDocuments: Int
    var stabilityMaxBytes: Int
    var preset: String
    var budgetFLOPs: Double?
    var trainRate: Double

    enum CodingKeys: String, CodingKey {
        case workbenchVersion = "workbench_version", arguments, compressors, corpus, corpusSHA256 = "corpus_sha256", split
        case passes, textField = "text_field", skipBadLines = "skip_bad_lines", stages, seed
        case stabilityDocuments = "stability_documents", stabilityMaxBytes = "stability_max_bytes", preset
        case budgetFLOPs = "budget_flops", trainRate = "train_rate"
    }
}

/// UTC timestamps as results record them.
enum Timestamp {
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
