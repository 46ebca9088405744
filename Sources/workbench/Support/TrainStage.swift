import Foundation
import NeuralEngine
import ProxyTrainer
import WorkbenchCore

/// `compare`'s train stage: one proxy model per compressor and the bytes-only baseline, all at
/// the same FLOPs budget, each in `<run>/train/<key>/` so an interrupted compare resumes them.
struct TrainStage {
    let corpus: Corpus
    let split: CorpusSplit
    let runDirectory: RunDirectory
    let preset: ProxyRunConfig.Preset
    let budgetFLOPs: Double?
    let rate: Double
    let seed: UInt64

    /// Trains (or reuses) one model; nil when it failed (the error is logged).
    func train(specIndex: Int?, spec: CompressorSpec?) -> ProxyRecord? {
        let key = spec.map { String(format: "%02d-", specIndex ?? 0) + StageKey.make($0.description) } ?? "bytes-only"
        let directory = runDirectory.file("train/\(key)")
        do {
            if let data = FileManager.default.contents(atPath: directory + "/result.json"),
                let result = try? JSONDecoder().decode(ProxyRunResult.self, from: data)
            {
                log.info("\(spec?.description ?? "bytes only"): proxy training already done (\(directory))")
                return record(result, directory: "train/\(key)")
            }
            let context = TrainingContext.make(corpus, runDirectory: runDirectory)
            let compressor = try spec.map { try BuiltinsRegistry.shared.makeCompressor($0, context: context) }
            var plan = ProxyRunPlan(corpus: corpus.path, corpusSHA256: corpus.sha256)
            plan.compressor = compressor?.descriptor
            plan.preset = preset
            plan.budgetFLOPs = budgetFLOPs
            plan.rate = compressor == nil ? 0 : rate
            plan.seed = seed
            let config = try plan.config()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.writeJSON(config, to: directory + "/config.json")
            let resume = FileManager.default.fileExists(atPath: directory + "/checkpoint.safetensors")
            let run = try ProxyTrainingRun(
                directory: directory, config: config, training: corpus.documents(in: .train).map(\.bytes),
                validation: corpus.documents(in: split == .all ? .valid : split).map(\.bytes), compressor: compressor,
                resume: resume)
            let bar = ProgressReporter()
            bar.begin("\(spec?.description ?? "bytes only"): proxy training (\(config.steps) steps)")
            run.log = { _ in }
            run.progress = { step, total, speed in bar.update(step, of: total, detail: String(format: "%.0f tok/s", speed)) }
            let result = try run.run()
            bar.end(String(format: "%.4f raw bits per byte", result.evaluation.rawBitsPerByte))
            return record(result, directory: "train/\(key)")
        } catch {
            log.error("\(spec?.description ?? "bytes only"): proxy training failed: \(error)")
            return nil
        }
    }

    private func record(_ result: ProxyRunResult, directory: String) -> ProxyRecord {
        var points = result.curve.compactMap { point in
            point.rawBitsPerByte.map { ProxyRecord.Point(flops: point.flops, rawBitsPerByte: $0) }
        }
        if let last = result.curve.last, points.last?.flops != last.flops {
            points.append(ProxyRecord.Point(flops: last.flops, rawBitsPerByte: result.evaluation.rawBitsPerByte))
        }
        return ProxyRecord(
            rawBitsPerByte: result.evaluation.rawBitsPerByte, rate: result.config.schedule.peakRate,
            mode: result.config.schedule.steadyMode.rawValue, steps: result.config.steps,
            flops: Double(result.config.steps) * result.flopsPerStep, curve: points, runDirectory: directory,
            tokensPerSecond: result.tokensPerSecond)
    }
}
