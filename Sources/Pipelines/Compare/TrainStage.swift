import Foundation
import ProxyTrainer
import WorkbenchCore

/// `compare`'s train stage: one proxy model per compressor and the bytes-only baseline, all at
/// the same FLOPs budget, each in `<run>/train/<key>/` so an interrupted compare resumes them.
struct TrainStage {
    let registry: CompressorRegistry
    let runDirectory: RunDirectory
    /// The settings every run shares; the compressor (and the rate, 0 for bytes only) differ.
    let plan: ProxyRunPlan
    /// The train split, copied out of the corpus once for every model and compressor.
    let training: [[UInt8]]
    /// The documents every model is evaluated on.
    let validation: [[UInt8]]
    let corpusSHA256: String

    /// Trains (or reuses) one model; nil when it failed (the error is logged).
    func train(specIndex: Int?, spec: CompressorSpec?) -> ProxyRecord? {
        let key = spec.map { String(format: "%02d-", specIndex ?? 0) + StageKey.make($0.description) } ?? "bytes-only"
        let directory = runDirectory.file("train/\(key)")
        let label = spec?.description ?? "bytes only"
        do {
            if let data = FileManager.default.contents(atPath: directory + "/result.json"),
                let result = try? JSONDecoder().decode(ProxyRunResult.self, from: data)
            {
                log.info("\(label): proxy training already done (\(directory))")
                return ProxyRecord(result, runDirectory: "train/\(key)")
            }
            let context = TrainingContext.make(.documents(training, corpusSHA256: corpusSHA256), runDirectory: runDirectory)
            let compressor = try spec.map { try registry.makeCompressor($0, context: context) }
            var plan = self.plan
            plan.compressor = compressor?.descriptor
            if compressor == nil { plan.rate = 0 }
            let job = ProxyTrainingJob(
                config: try plan.config(), directory: directory, compressor: compressor, training: training,
                validation: validation, label: "\(label): proxy training", logsSteps: false)
            let resume = FileManager.default.fileExists(atPath: directory + "/checkpoint.safetensors")
            return ProxyRecord(try job.run(resume: resume), runDirectory: "train/\(key)")
        } catch {
            log.error("\(label): proxy training failed: \(error)")
            return nil
        }
    }
}

extension ProxyRecord {
    /// The record of a finished run, its curve ending at the final evaluation.
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
}
