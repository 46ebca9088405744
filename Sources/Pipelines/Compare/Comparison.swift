import Foundation
import NeuralEngine
import ProxyTrainer
import Reports
import WorkbenchCore

/// `compare`, the main job: measures each compressor on one corpus split (each in its own
/// measuring child), trains a proxy model per compressor plus the bytes-only baseline, and writes
/// a run directory with config, environment, results and reports.
public struct Comparison {
    /// What a comparison is asked to do.
    public struct Plan: Sendable {
        /// The compressors, in request order.
        public var specs: [CompressorSpec]
        /// The corpus, opened for streaming.
        public var corpus: CorpusStream
        /// The measured split.
        public var split: CorpusSplit
        /// How documents are assigned to splits.
        public var splitRule: SplitRuleChoice = .nearDuplicate
        /// The run directory.
        public var runDirectory: RunDirectory
        /// Stages to run (always includes rate).
        public var stages: [CompareStage]
        /// Timed passes per compressor.
        public var passes: Int
        /// The stability sample and perturbation seed (the statistics stage).
        public var statistics: CompressorMeasurement.StatisticsPlan
        /// Proxy training: model, schedule, seeds, budgets and view, shared by every model.
        public var training: TrainerSettings
        /// Bytes of the measured split the robust stage scores (an equal share of whole lines from
        /// the middle of every document); 0 for all of it, nil for the preset's default.
        public var robustSampleBytes: Int?
        /// How the run directory is treated: a new run, a replaced one, or a continued one.
        public var start: Start
        /// The command line, recorded in config.json.
        public var arguments: [String]

        /// How to treat what the run directory already holds.
        public enum Start: Sendable {
            /// Refuse a directory that holds a run.
            case fresh
            /// Remove everything an earlier run left.
            case replace
            /// Keep finished stages; the settings must be the same.
            case resume
        }

        /// Creates a plan.
        public init(
            specs: [CompressorSpec], corpus: CorpusStream, split: CorpusSplit, splitRule: SplitRuleChoice = .nearDuplicate,
            runDirectory: RunDirectory,
            stages: [CompareStage], passes: Int, statistics: CompressorMeasurement.StatisticsPlan, training: TrainerSettings,
            start: Start, arguments: [String]
        ) {
            self.specs = specs
            self.corpus = corpus
            self.split = split
            self.splitRule = splitRule
            self.runDirectory = runDirectory
            self.stages = stages
            self.passes = passes
            self.statistics = statistics
            self.training = training
            self.start = start
            self.arguments = arguments
        }

        /// Whether a stage runs.
        public func runs(_ stage: CompareStage) -> Bool { stages.contains(stage) }

        /// The robust stage's sample size: the one asked for, else the preset's default.
        public var resolvedRobustSampleBytes: Int {
            robustSampleBytes ?? RobustStage.defaultSampleBytes(for: training.preset)
        }
    }

    /// What a finished comparison wrote.
    public struct Outcome {
        /// The canonical numbers (also in `results.json`).
        public var results: ComparisonResults
        /// Where the HTML report is.
        public var reportPath: String
        /// Rows that failed.
        public var failedRows: [CompressorResult] { results.compressors.filter { $0.status == .failed } }
    }

    /// The run directory's record of which split each near-duplicate document went to.
    public static let splitAssignmentFile = "split-assignment.json"

    /// Measures one compressor (in a child process, or in this one for tests).
    public typealias Measure = @Sendable (MeasurementRequest) throws -> CompressorResult

    let plan: Plan
    let registry: CompressorRegistry
    let measure: Measure

    /// A comparison that builds compressors from `registry` and measures each with `measure`.
    public init(plan: Plan, registry: CompressorRegistry, measure: @escaping Measure) {
        self.plan = plan
        self.registry = registry
        self.measure = measure
    }

    /// Runs every stage and writes the run directory; `results.json` last.
    /// - Throws: `WorkbenchError` for an unusable corpus, run directory or budget. A compressor's
    ///   failure is a failed row in the results, not an error.
    public func run() throws -> Outcome {
        // Fail on unknown ids and bad options before reading anything.
        for spec in plan.specs {
            let entry = try registry.entry(for: spec.id)
            _ = try ResolvedOptions(spec.options, specs: entry.options, compressor: spec.id)
        }
        // One streamed pass: the fingerprint and the counts. The corpus is loaded only for the
        // train stage, after the measurements (the children stream it too).
        // One pass: the fingerprint, the counts and the split rule's near-duplicate index.
        var stream = plan.corpus
        let splitSurvey = try stream.splitSurvey()
        let survey = splitSurvey.survey
        stream.splitAssignment = splitSurvey.assignment(plan.splitRule)
        let counts = splitSurvey.counts(measured: plan.split, assignment: stream.splitAssignment)
        for skipped in survey.skippedLines { log.warning("skipped \(skipped)") }
        if plan.runs(.train) {
            // The smallest model (bytes only) must afford one step at every budget, or no training
            // can run: refuse now.
            try plan.training.validate()
            for budget in plan.training.resolvedBudgets {
                _ = try plan.training.plan(
                    compressor: nil, view: .ids, seed: plan.training.seeds[0], budget: budget, corpus: stream.path,
                    corpusSHA256: survey.sha256
                ).config()
            }
            guard counts.trainDocuments > 0 else {
                throw WorkbenchError(
                    "the train split of '\(stream.path)' is empty (\(counts.allDocuments) documents in all); the train stage needs it, or leave train out of --stages"
                )
            }
        }
        guard counts.measuredDocuments > 0 else {
            throw WorkbenchError(
                "the \(plan.split.rawValue) split of '\(stream.path)' is empty (\(counts.allDocuments) documents in all; \(CorpusSplit.ruleDescription)); use --split all or a larger corpus"
            )
        }
        let config = makeConfig(corpusSHA256: survey.sha256)
        try prepareRunDirectory(config)
        var corpusRecord = CorpusRecord(
            name: stream.name, path: stream.path, sha256: survey.sha256, split: plan.split.rawValue,
            splitRule: stream.splitAssignment?.rule ?? CorpusSplit.ruleDescription, documents: counts.measuredDocuments,
            bytes: counts.measuredBytes, skippedBadLines: survey.skippedLines.count)
        if let assignment = stream.splitAssignment {
            corpusRecord.nearDuplicateClusters = assignment.clusters
            corpusRecord.nearDuplicateDocuments = assignment.clusteredDocuments
            try AtomicFile.writeJSON(assignment, to: plan.runDirectory.file(Self.splitAssignmentFile))
        }
        if plan.split != .train && plan.split != .all {
            corpusRecord.trainOverlap = try stream.overlap(measured: plan.split)
        }
        log.info(
            "\(stream.name): \(counts.measuredDocuments) documents, \(corpusRecord.bytes) bytes in the \(plan.split.rawValue) split"
        )

        // Rate and statistics: one child process per compressor.
        let runDirectory = plan.runDirectory
        try FileManager.default.createDirectory(atPath: runDirectory.file("stages"), withIntermediateDirectories: true)
        var rows: [CompressorResult] = []
        for (index, spec) in plan.specs.enumerated() {
            rows.append(try measureStages(spec, index: index, corpusSHA256: survey.sha256))
        }

        // Training: every compressor that passed, and the bytes-only baseline, at every seed and budget.
        var baseline: ProxyRecord?
        if plan.runs(.train) {
            let corpus = try Corpus.load(stream)  // read with the same split assignment
            guard corpus.sha256 == survey.sha256 else {
                throw WorkbenchError(
                    "corpus '\(stream.path)' changed while the comparison ran (sha256 \(survey.sha256) at the start, \(corpus.sha256) now); its measurements no longer match it: rerun on a corpus that stays put"
                )
            }
            let stage = TrainStage(
                registry: registry, runDirectory: runDirectory, settings: plan.training, training: corpus.bytes(in: .train),
                validation: corpus.bytes(in: plan.split == .all ? .valid : plan.split), corpusPath: stream.path,
                corpusSHA256: corpus.sha256)
            baseline = trainModels(stage, rows: &rows)
            if plan.runs(.robust), var measured = baseline {
                try measureRobustness(
                    RobustStage(
                        runDirectory: runDirectory,
                        documents: RobustStage.sample(stage.validation, bytes: plan.resolvedRobustSampleBytes),
                        seed: plan.statistics.seed,
                        batchSize: plan.training.batch ?? plan.training.preset.defaults.batch),
                    baseline: &measured, rows: &rows)
                baseline = measured
            }
        }

        let libraries = Dictionary(
            rows.compactMap { row in
                row.descriptor.flatMap { d in d.libraryName.map { ($0, d.libraryVersion ?? "unknown") } }
            }, uniquingKeysWith: { first, _ in first })
        let environment = RunEnvironment.current(
            libraries: libraries, threadsUsed: plan.runs(.train) ? EngineThreads.count : 1, seeds: ["run": plan.statistics.seed])
        try AtomicFile.writeJSON(environment, to: runDirectory.file("environment.json"))
        let runsStats = plan.runs(.stats)
        let stagesRecord = StagesRecord(
            ran: plan.stages.map(\.rawValue), stabilitySeed: runsStats ? plan.statistics.seed : nil,
            stabilityDocuments: runsStats ? min(plan.statistics.stabilityDocuments, counts.measuredDocuments) : nil,
            stabilityMaxBytes: runsStats ? plan.statistics.stabilityMaxBytes : nil)
        var results = ComparisonResults(
            createdAt: Timestamp.iso8601(Date()), corpus: corpusRecord, stages: stagesRecord, compressors: rows)
        results.baseline = baseline
        (results.screening, results.screeningNote) = plan.runs(.train) ? Screening.correlate(rows) : (nil, nil)
        results.config = try? JSONValue(encoding: config)
        results.environment = try? JSONValue(encoding: environment)
        // Reports first, results.json last: a results.json that exists belongs to a finished run.
        try RunReports.write(results, into: runDirectory)
        try AtomicFile.writeJSON(results, to: runDirectory.file("results.json"))
        return Outcome(results: results, reportPath: runDirectory.file("report.html"))
    }

    /// Plans every model's runs (and says which are undertrained) before any training, then
    /// trains the baseline and each compressor that passed its measurement; a model that cannot be
    /// planned or trained fails its row.
    /// - Returns: the baseline's record.
    private func trainModels(_ stage: TrainStage, rows: inout [CompressorResult]) -> ProxyRecord? {
        let settings = plan.training
        var schedules: [(row: Int?, schedule: TrainStage.Schedule)] = []
        do {
            schedules.append((nil, try stage.schedule(.baseline)))
        } catch {
            log.error("bytes only: cannot be trained: \(error)")
            return nil
        }
        for index in rows.indices where rows[index].status == .ok {
            let model = TrainStage.Model.proxy(
                index: index, asked: plan.specs[index], spec: rows[index].spec, descriptor: rows[index].descriptor)
            do {
                schedules.append((index, try stage.schedule(model)))
            } catch {
                rows[index].status = .failed
                rows[index].error = "proxy training cannot be planned: \(error)"
                log.error("\(rows[index].spec): \(rows[index].error ?? "")")
            }
        }
        let budgets = settings.resolvedBudgets
        log.info(
            "train stage: \(schedules.count) models x \(settings.seeds.count) seeds x \(budgets.count) budgets = \(schedules.count * settings.seeds.count * budgets.count) runs (seeds \(settings.seeds.map(String.init).joined(separator: ", ")); budgets \(budgets.map { String(format: "%.3g", $0) }.joined(separator: ", ")) FLOPs)"
        )
        for (_, schedule) in schedules {
            let steps = budgets.map { "\(schedule.steps[$0] ?? 0)" }.joined(separator: "/")
            log.info("  \(schedule.model.label): \(schedule.view.rawValue) view (\(schedule.viewReason)); steps \(steps)")
            if let reason = schedule.undertrainedReason {
                log.warning("\(schedule.model.label) is UNDERTRAINED: \(reason)")
            }
        }
        let counter = RunCounter(total: schedules.count * settings.seeds.count * budgets.count)
        guard let (baselineRecord, baselineRuns) = stage.train(schedules[0].schedule, baseline: nil, progress: counter) else {
            for (row, _) in schedules.dropFirst() {
                if let row {
                    rows[row].status = .failed
                    rows[row].error = "the bytes-only baseline failed to train; see the log"
                }
            }
            return nil
        }
        for (row, schedule) in schedules.dropFirst() {
            guard let row else { continue }
            if let (record, _) = stage.train(schedule, baseline: baselineRuns, progress: counter) {
                rows[row].proxy = record
            } else {
                rows[row].status = .failed
                rows[row].error = "proxy training failed; see the log above and \(plan.runDirectory.file("train"))"
            }
        }
        return baselineRecord
    }

    /// Scores every trained model on the perturbed evaluation documents and fills each record's
    /// robustness; a model whose weights cannot be read keeps none (the error is logged).
    private func measureRobustness(_ stage: RobustStage, baseline: inout ProxyRecord, rows: inout [CompressorResult]) throws {
        let baselineScores: [UInt64: RobustStage.RunScores]
        do {
            baselineScores = try stage.scores(baseline, label: "bytes only")
        } catch {
            log.error("bytes only: robustness not measured: \(error)")
            return
        }
        baseline.robustness = RobustStage.summarize(baselineScores, baseline: nil)
        for index in rows.indices {
            guard let record = rows[index].proxy else { continue }
            // Named as asked (rows are in the order of the request): a resolved spec can be long.
            let label = plan.specs.count == rows.count ? plan.specs[index].description : rows[index].spec.description
            do {
                let scores = try stage.scores(record, label: label)
                rows[index].proxy?.robustness = RobustStage.summarize(scores, baseline: baselineScores)
            } catch {
                log.error("\(label): robustness not measured: \(error)")
            }
        }
    }

    /// The config.json of this plan.
    func makeConfig(corpusSHA256: String) -> CompareConfig {
        let options = plan.corpus.options
        var config = CompareConfig(
            workbenchVersion: WorkbenchVersion.current, arguments: plan.arguments, compressors: plan.specs,
            corpus: plan.corpus.path, corpusSHA256: corpusSHA256, split: plan.split, passes: plan.passes,
            textField: options.textField, skipBadLines: options.skipBadLines, splitRule: plan.splitRule, stages: plan.stages,
            seed: plan.statistics.seed,
            stabilityDocuments: plan.statistics.stabilityDocuments, stabilityMaxBytes: plan.statistics.stabilityMaxBytes,
            trainer: plan.runs(.train) ? plan.training : nil)
        config.robustSampleBytes = plan.runs(.robust) ? plan.resolvedRobustSampleBytes : nil
        return config
    }

    /// Refuses, replaces or checks what the run directory holds, then writes config.json.
    private func prepareRunDirectory(_ config: CompareConfig) throws {
        let runDirectory = plan.runDirectory
        switch plan.start {
        case .resume:
            guard let data = FileManager.default.contents(atPath: runDirectory.file("config.json")),
                var saved = try? JSONDecoder().decode(CompareConfig.self, from: data)
            else {
                throw WorkbenchError("nothing to resume in '\(runDirectory.path)': no readable config.json")
            }
            saved.arguments = config.arguments
            guard saved == config else {
                throw WorkbenchError(
                    "'\(runDirectory.path)' holds a run with other settings (see its config.json); resume with the same options, or use --force to start over"
                )
            }
            return
        case .fresh, .replace:
            try runDirectory.prepare(force: plan.start == .replace)
            if plan.start == .replace {
                // Everything an earlier compare wrote goes, so nothing of it is reused or mistaken
                // for this run's (the shared compressor cache stays: it is keyed by its inputs).
                for entry in [
                    "stages", "train", "artifacts", "results.json", "results.csv", "report.md", "report.html", "environment.json",
                ] {
                    try? FileManager.default.removeItem(atPath: runDirectory.file(entry))
                }
            }
            try AtomicFile.writeJSON(config, to: runDirectory.file("config.json"))
        }
    }

    /// Runs the rate (and stats) stages of one compressor through `measure`, or reuses the stage
    /// file an earlier, interrupted run left.
    private func measureStages(_ spec: CompressorSpec, index: Int, corpusSHA256: String) throws -> CompressorResult {
        let stageFile = plan.runDirectory.file("stages/\(String(format: "%02d", index))-\(StageKey.make(spec.description)).json")
        if plan.start == .resume, let data = FileManager.default.contents(atPath: stageFile),
            let row = try? JSONDecoder().decode(CompressorResult.self, from: data)
        {
            log.info("\(spec): rate\(plan.runs(.stats) ? " and stats" : "") already done (\(stageFile))")
            return row
        }
        let request = MeasurementRequest(
            spec: spec, corpusPath: plan.corpus.path, readOptions: plan.corpus.options,
            splitAssignmentPath: plan.splitRule == .exact ? nil : plan.runDirectory.file(Self.splitAssignmentFile),
            corpusSHA256: corpusSHA256,
            split: plan.split, passes: plan.passes, statistics: plan.runs(.stats) ? plan.statistics : nil,
            runDirectory: plan.runDirectory.path, resultPath: stageFile)
        return try measure(request)
    }
}
