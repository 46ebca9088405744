import Foundation
import NeuralEngine
import ProxyTrainer
import WorkbenchCore

/// `compare`'s robust stage: every trained model at the main budget (each seed, the baseline
/// included) evaluated in raw bits per byte on perturbed copies of the evaluation documents, the
/// same copies for every model; the change from the clean documents, summarized over seeds and
/// against the bytes-only model. A deletion shortens the text: every score is bits per byte of the
/// text it scored. Each run's scores are saved beside it (`robustness.json`) for `--resume`.
struct RobustStage {
    let runDirectory: RunDirectory
    /// The clean evaluation documents (the measured split).
    let documents: [[UInt8]]
    /// The perturbed copies.
    let perturbed: [RobustnessPerturbation: [[UInt8]]]
    let batchSize: Int

    /// Perturbs `documents` with the comparison's seed.
    init(runDirectory: RunDirectory, documents: [[UInt8]], seed: UInt64, batchSize: Int) {
        self.runDirectory = runDirectory
        self.documents = documents
        self.perturbed = RobustnessPerturbation.perturbed(documents, seed: seed)
        self.batchSize = batchSize
    }

    /// About `bytes` bytes of `documents` (all of them for 0, or when they hold no more): from every
    /// document an equal share of whole lines around its middle, so that the sample spans the
    /// whole split rather than its first files, and skips the licence headers and imports files
    /// open with. Scoring every model on seven versions of a whole split would cost more than its
    /// training at small budgets.
    static func sample(_ documents: [[UInt8]], bytes: Int) -> [[UInt8]] {
        let total = documents.reduce(0) { $0 + $1.count }
        guard bytes > 0, total > bytes, !documents.isEmpty else { return documents }
        let share = max(1, bytes / documents.count)
        return documents.map { document in
            guard document.count > share else { return document }
            let newline = UInt8(ascii: "\n")
            // Start at the first line that begins at or after the window's centred start.
            var start = (document.count - share) / 2
            while start > 0 && start < document.count && document[start - 1] != newline { start += 1 }
            if start >= document.count { start = (document.count - share) / 2 }
            var end = min(document.count, start + share)
            // End after the last whole line, when the share holds one.
            if end < document.count, let lastNewline = document[start..<end].lastIndex(of: newline) { end = lastNewline + 1 }
            return Array(document[start..<end])
        }
    }

    /// The sample's default size: 32 KiB for the quick preset's small models, whose training the
    /// robust stage would otherwise outlast, and 128 KiB for the paper preset.
    static func defaultSampleBytes(for preset: ProxyRunConfig.Preset) -> Int {
        preset == .quick ? 32_768 : 131_072
    }

    /// One run's scores: the clean document score and one per perturbation.
    struct RunScores: Codable, Equatable {
        var clean: Double
        var perturbed: [String: Double]
    }

    /// The scores of the main budget's runs of a record.
    /// - Throws: when a model's weights cannot be read, or evaluation fails.
    func scores(_ record: ProxyRecord, label: String) throws -> [UInt64: RunScores] {
        let budget = record.sweep?.last?.budgetFLOPs
        var result: [UInt64: RunScores] = [:]
        for run in record.runs ?? [] where run.budgetFLOPs == budget {
            let folder = runDirectory.file(run.runDirectory)
            let cache = folder + "/robustness.json"
            if let data = FileManager.default.contents(atPath: cache),
                let saved = try? JSONDecoder().decode(RunScores.self, from: data)
            {
                result[run.seed] = saved
                continue
            }
            let model = try TransformerModel(parameters: try Parameters.load(from: folder + "/model.safetensors"))
            let progress = ProgressReporter()
            progress.begin("\(label), seed \(run.seed): robustness under \(RobustnessPerturbation.allCases.count) perturbations")
            var scores = RunScores(
                clean: try RawByteEvaluator.evaluate(model: model, documents: documents, batchSize: batchSize).rawBitsPerByte,
                perturbed: [:])
            for (index, perturbation) in RobustnessPerturbation.allCases.enumerated() {
                let copies = perturbed[perturbation] ?? []
                scores.perturbed[perturbation.rawValue] =
                    try RawByteEvaluator.evaluate(model: model, documents: copies, batchSize: batchSize).rawBitsPerByte
                progress.update(index + 1, of: RobustnessPerturbation.allCases.count)
            }
            progress.end(String(format: "clean %.4f raw bits per byte", scores.clean))
            try AtomicFile.writeJSON(scores, to: cache)
            result[run.seed] = scores
        }
        return result
    }

    /// Per perturbation: the change over seeds, and against the baseline's change (same seeds).
    static func summarize(_ scores: [UInt64: RunScores], baseline: [UInt64: RunScores]?) -> [String: RobustnessRecord] {
        var records: [String: RobustnessRecord] = [:]
        let seeds = scores.keys.sorted()
        for perturbation in RobustnessPerturbation.allCases {
            let name = perturbation.rawValue
            let deltas = seeds.compactMap { seed in scores[seed].flatMap { s in s.perturbed[name].map { $0 - s.clean } } }
            guard let summary = SampleSummary(deltas) else { continue }
            var paired: SampleSummary?
            if let baseline {
                paired = SampleSummary(
                    seeds.compactMap { seed -> Double? in
                        guard let mine = scores[seed], let theirs = baseline[seed], let a = mine.perturbed[name],
                            let b = theirs.perturbed[name]
                        else { return nil }
                        return (a - mine.clean) - (b - theirs.clean)
                    })
            }
            records[name] = RobustnessRecord(
                delta: summary.mean, ci95: summary.confidenceInterval95, vsBytes: paired?.mean,
                vsBytesCI95: paired?.confidenceInterval95, deltas: deltas)
        }
        return records
    }
}
