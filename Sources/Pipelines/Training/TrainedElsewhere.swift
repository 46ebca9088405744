import Foundation
import ProxyTrainer
import WorkbenchCore

/// Proxy runs trained outside a comparison (a GPU sweep with `trainers/pytorch`, a `workbench
/// train` on another machine) added to its results, so they land in the same report.
///
/// Runs are grouped into models by compressor, trainer, rate and mode; a model's runs (seeds and
/// budgets) are summarized as the train stage summarizes its own (mean and interval over seeds,
/// the sweep and its power-law fit). A proxy is compared with the bytes-only model *of the same
/// trainer* (seed-paired at its main budget, which the baseline must have run too: budgets are
/// FLOPs, so runs given `--steps` instead of a budget compare only when their FLOPs agree; and
/// the crossover of the fitted lines), never with
/// the comparison's own baseline, which was trained at another scale. Adding a model again (the
/// same label) replaces it, so `--add-run` can be repeated with more seeds.
public enum TrainedElsewhere {
    /// The schema of a run's `result.json`.
    public static let resultSchema = "workbench.train/1"

    /// What the trainer field says of the workbench's own runs.
    public static let workbenchTrainer = "workbench"

    /// The result of the run in `directory` (its `result.json`).
    /// - Throws: `WorkbenchError` naming the file when it is missing, of another schema or unreadable.
    public static func load(_ directory: String) throws(WorkbenchError) -> ProxyRunResult {
        let path = (directory as NSString).appendingPathComponent("result.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbenchError(
                "'\(path)' does not exist; --add-run takes the directory of a finished training run (workbench train, or trainers/pytorch)"
            )
        }
        struct SchemaOnly: Decodable { var schema: String? }
        let schema = (try? JSONDecoder().decode(SchemaOnly.self, from: data))?.schema
        guard schema == resultSchema else {
            throw WorkbenchError(
                "'\(path)' has schema '\(schema ?? "none")', not '\(resultSchema)': it is not the result of a training run")
        }
        do {
            return try JSONDecoder().decode(ProxyRunResult.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw WorkbenchError(
                "'\(path)': missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw WorkbenchError("'\(path)': not a readable run result (\(error))")
        }
    }

    /// `results` with the models of `runs` (each a run directory, as given, and its result) added
    /// to `trainedElsewhere`.
    public static func add(
        _ runs: [(directory: String, result: ProxyRunResult)], to results: ComparisonResults
    ) -> ComparisonResults {
        struct Key: Hashable {
            var spec: String?
            var trainer: String
            var rate: Double
            var mode: String
        }
        var order: [Key] = []
        var groups: [Key: [(directory: String, result: ProxyRunResult)]] = [:]
        for run in runs {
            let config = run.result.config
            let key = Key(
                spec: run.result.compressorDescriptor?.spec ?? config.compressor?.description,
                trainer: run.result.trainer ?? workbenchTrainer, rate: config.schedule.peakRate,
                mode: config.schedule.steadyMode.rawValue)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(run)
        }
        var records = order.map { key in
            record(
                label: label(spec: key.spec, trainer: key.trainer, rate: key.rate, mode: key.mode), spec: key.spec,
                trainer: key.trainer, runs: groups[key] ?? [])
        }
        let labels = Set(records.map(\.label))
        records = (results.trainedElsewhere ?? []).filter { !labels.contains($0.label) } + records
        // Each proxy against the bytes-only model of its trainer (new or added before).
        for index in records.indices where !records[index].isBaseline {
            let baseline = records.first { $0.isBaseline && $0.trainer == records[index].trainer }
            compare(&records[index].proxy, with: baseline?.proxy)
        }
        var merged = results
        merged.trainedElsewhere = records
        return merged
    }

    /// `gzip:level=9 r=0.9 sentinel [pytorch 2.13.0, 8 x cuda, ddp, bf16 autocast]`.
    static func label(spec: String?, trainer: String, rate: Double, mode: String) -> String {
        let model = spec.map { "\($0) r=\(String(format: "%g", rate)) \(mode)" } ?? "bytes only"
        return "\(model) [\(trainer)]"
    }

    /// One model's record from its runs.
    private static func record(
        label: String, spec: String?, trainer: String, runs: [(directory: String, result: ProxyRunResult)]
    ) -> ExternalProxyRecord {
        func budget(_ result: ProxyRunResult) -> Double {
            result.config.budgetFLOPs ?? Double(result.config.steps) * result.flopsPerStep
        }
        let sorted = runs.sorted { (budget($0.result), $0.result.config.seed) < (budget($1.result), $1.result.config.seed) }
        var losses = SeedRuns()
        var steps: [Double: Int] = [:]
        let records = sorted.map { run -> ProxyRecord.RunRecord in
            let flops = budget(run.result)
            losses.losses[flops, default: [:]][run.result.config.seed] = run.result.evaluation.rawBitsPerByte
            steps[flops] = run.result.config.steps
            return ProxyRecord.RunRecord(
                seed: run.result.config.seed, budgetFLOPs: flops, steps: run.result.config.steps,
                rawBitsPerByte: run.result.evaluation.rawBitsPerByte, runDirectory: run.directory)
        }
        // The main run: the first seed at the largest budget, as the train stage reports it.
        let largest = sorted.map { budget($0.result) }.max() ?? 0
        let main = sorted.first { budget($0.result) == largest } ?? sorted[0]
        var proxy = ProxyRecord(main.result, runDirectory: main.directory)
        proxy.tokensPerSecond = sorted.map(\.result.tokensPerSecond).reduce(0, +) / Double(max(1, sorted.count))
        let model = TrainStage.Model(
            key: label, label: label, spec: spec.map { (try? CompressorSpec(parsing: $0)) ?? CompressorSpec(id: $0) },
            descriptor: nil)
        let schedule = TrainStage.Schedule(
            model: model, view: main.result.config.compressedView, viewReason: "as its run was configured", steps: steps,
            undertrainedReason: nil)
        proxy.summarize(
            losses, runs: records, schedule: schedule, seeds: Array(Set(records.map(\.seed))).sorted(), baseline: nil)
        return ExternalProxyRecord(label: label, spec: spec, trainer: trainer, proxy: proxy)
    }

    /// Fills (or clears) a proxy's comparison with a bytes-only model from their runs' tables.
    private static func compare(_ proxy: inout ProxyRecord, with baseline: ProxyRecord?) {
        func table(_ record: ProxyRecord) -> SeedRuns {
            var runs = SeedRuns()
            for run in record.runs ?? [] { runs.losses[run.budgetFLOPs, default: [:]][run.seed] = run.rawBitsPerByte }
            return runs
        }
        proxy.vsBaseline = nil
        proxy.crossoverFLOPs = nil
        guard let baseline else { return }
        let mine = table(proxy), theirs = table(baseline)
        if let main = mine.budgets.last, let difference = mine.pairedDifference(from: theirs, atBudget: main) {
            proxy.vsBaseline = ProxyRecord.DifferenceRecord(
                difference: difference.mean, sd: difference.standardDeviation, ci95: difference.confidenceInterval95,
                seeds: difference.count)
        }
        proxy.crossoverFLOPs = CrossoverEstimate(proxy: mine, baseline: theirs)
    }
}
