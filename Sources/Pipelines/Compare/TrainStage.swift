import Foundation
import ProxyTrainer
import WorkbenchCore

/// `compare`'s train stage: every model (each compressor's proxy and the bytes-only baseline)
/// trained once per seed at every budget, each run in `<run>/train/<model>/<seed and budget>/` so
/// an interrupted comparison resumes every finished run; then each model summarized over seeds
/// (mean, spread, t-interval), over budgets (a power-law fit) and against the baseline (a
/// seed-paired difference, the crossover of the fitted lines).
struct TrainStage {
    let registry: CompressorRegistry
    let runDirectory: RunDirectory
    /// What every run shares; per run the compressor, seed, budget and view differ.
    let settings: TrainerSettings
    /// The train split, copied out of the corpus once for every model.
    let training: [[UInt8]]
    /// The documents every model is evaluated on.
    let validation: [[UInt8]]
    let corpusPath: String
    let corpusSHA256: String

    /// One model to train: the baseline (no spec) or a compressor's proxy.
    struct Model {
        /// Folder name under `train/`.
        var key: String
        /// What the logs call it.
        var label: String
        /// The compressor, nil for bytes only.
        var spec: CompressorSpec?
        /// Its descriptor (from the measurement), nil for bytes only.
        var descriptor: CompressorDescriptor?

        /// The bytes-only baseline.
        static let baseline = Model(key: "bytes-only", label: "bytes only", spec: nil, descriptor: nil)

        /// A compressor's proxy, keyed by its place in the request; `asked` is the spec as the user
        /// wrote it (short, for the logs), `spec` the resolved one the run builds.
        static func proxy(index: Int, asked: CompressorSpec, spec: CompressorSpec, descriptor: CompressorDescriptor?) -> Model {
            Model(
                key: String(format: "%02d-", index) + StageKey.make(spec.description), label: asked.description, spec: spec,
                descriptor: descriptor)
        }
    }

    /// What one model will train, decided before any training.
    struct Schedule {
        var model: Model
        var view: CompressedView
        var viewReason: String
        /// Steps at each budget (ascending budgets).
        var steps: [Double: Int]
        /// Why the model is undertrained, nil when every run reaches the minimum steps.
        var undertrainedReason: String?
    }

    /// The view and the steps of every run of `model`, and the undertrained flag with its advice.
    /// - Throws: `ProxyTrainerError` when a run cannot be planned (a budget below one step).
    func schedule(_ model: Model) throws -> Schedule {
        let (view, reason) = try settings.resolveView(for: model.descriptor, corpus: corpusPath, corpusSHA256: corpusSHA256)
        var steps: [Double: Int] = [:]
        var flopsPerStep = 0.0
        for budget in settings.resolvedBudgets {
            let config = try plan(model, view: view, seed: settings.seeds[0], budget: budget).config()
            steps[budget] = config.steps
            flopsPerStep = config.flopsPerStep(vocabularySize: try vocabularySize(model, view: view))
        }
        var undertrained: String?
        if let (budget, fewest) = steps.min(by: { $0.value < $1.value }), fewest < settings.minimumSteps {
            let needed = Double(settings.minimumSteps) * flopsPerStep
            let wide = (model.descriptor?.alphabetSize ?? 0) > 256 && view == .ids
            undertrained = String(
                format: "%d steps at %.3g FLOPs, fewer than --min-steps %d; try %@a budget of %.2g FLOPs", fewest, budget,
                settings.minimumSteps, wide ? "--compressed-view bytes or " : "", needed)
        }
        return Schedule(model: model, view: view, viewReason: reason, steps: steps, undertrainedReason: undertrained)
    }

    /// The plan of one run, with that run's settings (`settings(seed:budget:)`).
    private func plan(_ model: Model, view: CompressedView, seed: UInt64, budget: Double) -> ProxyRunPlan {
        settings(seed: seed, budget: budget).plan(
            compressor: model.descriptor, view: view, seed: seed, budget: budget, corpus: corpusPath, corpusSHA256: corpusSHA256)
    }

    private func vocabularySize(_ model: Model, view: CompressedView) throws -> Int {
        try ProxyVocabulary(descriptor: model.descriptor, sharedByteEmbedding: settings.sharedByteEmbedding, view: view).size
    }

    /// The folder of one run, relative to the run directory.
    static func runFolder(_ model: Model, seed: UInt64, budget: Double) -> String {
        "train/\(model.key)/seed-\(seed)-flops-\(Self.flopsLabel(budget))"
    }

    /// A budget as a short, file-name-safe number: 4e12, 2.4e7, 1.6e13.
    static func flopsLabel(_ flops: Double) -> String {
        // %g writes digits, '.', 'e', '+' and '-' only: all safe in a file name once '+' goes.
        String(format: "%.4g", flops).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
    }

    /// Trains (or reuses) every run of one model and summarizes them; nil when a run failed (the
    /// error is logged). `baseline` is the bytes-only model's runs, for the paired difference and
    /// the crossover. `progress` counts runs across the whole stage.
    func train(_ schedule: Schedule, baseline: SeedRuns?, progress: RunCounter) -> (ProxyRecord, SeedRuns)? {
        let model = schedule.model
        do {
            let context = TrainingContext.make(.documents(training, corpusSHA256: corpusSHA256), runDirectory: runDirectory)
            // One memo for all of this model's runs: every seed and budget compresses the same
            // documents, and a slow compressor would otherwise code them once per run.
            let compressor: (any Compressor)? = try model.spec.map {
                MemoizingCompressor(try registry.makeCompressor($0, context: context))
            }
            var runs: [ProxyRecord.RunRecord] = []
            var losses = SeedRuns()
            var mainResult: ProxyRunResult?
            var tokensPerSecond: [Double] = []
            let budgets = settings.resolvedBudgets
            for budget in budgets {
                for seed in settings.seeds {
                    let folder = Self.runFolder(model, seed: seed, budget: budget)
                    let result = try runOnce(
                        model, compressor: compressor, view: schedule.view, seed: seed, budget: budget, folder: folder,
                        progress: progress)
                    runs.append(
                        ProxyRecord.RunRecord(
                            seed: seed, budgetFLOPs: budget, steps: result.config.steps,
                            rawBitsPerByte: result.evaluation.rawBitsPerByte, runDirectory: folder))
                    losses.losses[budget, default: [:]][seed] = result.evaluation.rawBitsPerByte
                    tokensPerSecond.append(result.tokensPerSecond)
                    if budget == budgets.last && mainResult == nil { mainResult = result }
                }
            }
            guard let main = mainResult, let mainBudget = budgets.last else { return nil }
            var record = ProxyRecord(main, runDirectory: Self.runFolder(model, seed: settings.seeds[0], budget: mainBudget))
            record.tokensPerSecond = tokensPerSecond.reduce(0, +) / Double(max(1, tokensPerSecond.count))
            record.summarize(losses, runs: runs, schedule: schedule, seeds: settings.seeds, baseline: baseline)
            return (record, losses)
        } catch {
            log.error("\(model.label): proxy training failed: \(error)")
            return nil
        }
    }

    /// One run: reused when its result exists, resumed from its checkpoint, or started.
    private func runOnce(
        _ model: Model, compressor: (any Compressor)?, view: CompressedView, seed: UInt64, budget: Double, folder: String,
        progress: RunCounter
    ) throws -> ProxyRunResult {
        let directory = runDirectory.file(folder)
        let index = progress.next()
        if let data = FileManager.default.contents(atPath: directory + "/result.json"),
            let result = try? JSONDecoder().decode(ProxyRunResult.self, from: data)
        {
            log.info(
                "run \(index) of \(progress.total): \(model.label), seed \(seed), \(String(format: "%.3g", budget)) FLOPs: already done"
            )
            return result
        }
        let job = ProxyTrainingJob(
            config: try plan(model, view: view, seed: seed, budget: budget).config(), directory: directory,
            compressor: compressor, training: training, validation: validation,
            label: "run \(index) of \(progress.total): \(model.label), seed \(seed), \(String(format: "%.3g", budget)) FLOPs",
            logsSteps: false)
        let resume = FileManager.default.fileExists(atPath: directory + "/checkpoint.safetensors")
        return try job.run(resume: resume)
    }
}

extension TrainStage {
    /// The settings of one run: the stage's, with periodic evaluations only in the run whose curve
    /// the reports draw (the first seed at the main budget). The other runs' curves would reach
    /// no report, and evaluating them costs up to half as much again as their training (the
    /// planner's evaluation share). Evaluation does not change training, so their final results
    /// are the same either way (tested).
    func settings(seed: UInt64, budget: Double) -> TrainerSettings {
        var run = settings
        if seed != settings.seeds.first || budget != settings.resolvedBudgets.last { run.evaluations = 0 }
        return run
    }
}

/// Numbers the runs of a stage in the order they start ("run 3 of 36").
final class RunCounter: @unchecked Sendable {
    /// Runs in the stage.
    let total: Int
    private var started = 0

    /// A counter of `total` runs.
    init(total: Int) { self.total = total }

    /// The number of the run starting now.
    func next() -> Int {
        started += 1
        return started
    }
}

extension ProxyRecord {
    /// The record of one finished run, its curve ending at the final evaluation.
    init(_ result: ProxyRunResult, runDirectory: String) {
        var points = result.curve.compactMap { point in
            point.rawBitsPerByte.map { ProxyRecord.Point(flops: point.flops, rawBitsPerByte: $0) }
        }
        if let last = result.curve.last, points.last?.flops != last.flops {
            points.append(ProxyRecord.Point(flops: last.flops, rawBitsPerByte: result.evaluation.rawBitsPerByte))
        }
        self.init(
            rawBitsPerByte: result.evaluation.rawBitsPerByte, rate: result.config.schedule.peakRate,
            mode: result.config.schedule.steadyMode.rawValue, steps: result.config.steps,
            flops: Double(result.config.steps) * result.flopsPerStep, curve: points, runDirectory: runDirectory,
            tokensPerSecond: result.tokensPerSecond)
    }

    /// Fills the summaries over seeds and budgets, and against the baseline.
    mutating func summarize(
        _ losses: SeedRuns, runs: [RunRecord], schedule: TrainStage.Schedule, seeds: [UInt64], baseline: SeedRuns?
    ) {
        let budgets = losses.budgets
        self.runs = runs
        self.seeds = seeds
        compressedView = schedule.model.spec == nil ? nil : schedule.view.rawValue
        compressedViewReason = schedule.model.spec == nil ? nil : schedule.viewReason
        undertrained = schedule.undertrainedReason != nil
        undertrainedReason = schedule.undertrainedReason
        sweep = budgets.compactMap { budget in
            losses.summary(atBudget: budget).map {
                SweepPoint(
                    budgetFLOPs: budget, steps: schedule.steps[budget] ?? 0, mean: $0.mean, sd: $0.standardDeviation,
                    ci95: $0.confidenceInterval95)
            }
        }
        if let main = budgets.last, let summary = losses.summary(atBudget: main) {
            rawBitsPerByte = summary.mean
            rawBitsPerByteSD = summary.standardDeviation
            rawBitsPerByteCI95 = summary.confidenceInterval95
            if let baseline, let difference = losses.pairedDifference(from: baseline, atBudget: main) {
                vsBaseline = DifferenceRecord(
                    difference: difference.mean, sd: difference.standardDeviation, ci95: difference.confidenceInterval95,
                    seeds: difference.count)
            }
        }
        fit = losses.fit()
        if let baseline { crossoverFLOPs = CrossoverEstimate(proxy: losses, baseline: baseline) }
    }
}
