import ArgumentParser
import Foundation
import NeuralEngine

/// `workbench bench engine`: times the NeuralEngine transformer on random tokens and prints one
/// JSON line (compare with Benchmarks/engine/pytorch_bench.py, which prints the same fields).
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time NeuralEngine training steps or incremental inference on random tokens (one JSON line).")

    enum Mode: String, ExpressibleByArgument, CaseIterable { case train, infer }

    @Option(help: "Vocabulary size.") var vocab: Int = 320
    @Option(help: "Model width.") var width: Int = 256
    @Option(help: "Transformer blocks.") var layers: Int = 4
    @Option(help: "Attention heads.") var heads: Int = 4
    @Option(help: "Sequence length (train) or tokens generated per sequence (infer).") var context: Int = 512
    @Option(help: "Sequences per batch.") var batch: Int = 8
    @Option(help: "Timed steps (train) or timed sequences of `context` tokens (infer).") var steps: Int = 10
    @Option(help: "Untimed warm-up steps.") var warmup: Int = 2
    @Option(help: "train: forward, backward and AdamW; infer: incremental decoding with a KV cache.") var mode: Mode = .train
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Seed for weights and tokens.") var seed: UInt64 = 1
    @Option(help: "Also save the final weights here (safetensors), e.g. to inspect them from Python.")
    var save: String?

    var config: ModelConfig {
        ModelConfig(vocabularySize: vocab, width: width, layers: layers, heads: heads, contextLength: context)
    }

    func validate() throws {
        do { try config.validate() } catch { throw ValidationError("\(error)") }
        guard batch >= 1, steps >= 1, warmup >= 0 else {
            throw ValidationError("--batch and --steps must be >= 1, --warmup >= 0")
        }
        if let t = threads, t < 1 { throw ValidationError("--threads must be >= 1") }
    }

    func run() throws {
        if let t = threads { EngineThreads.set(t) } else { EngineThreads.set(EngineThreads.count) }
        var rng = SeededGenerator(seed: seed)
        func randomTokens(_ n: Int) -> [Int32] { (0..<n).map { _ in Int32(rng.next() % UInt64(vocab)) } }
        var fields: [(String, String)] = [
            ("engine", "\"neuralengine\""), ("mode", "\"\(mode.rawValue)\""), ("vocab", "\(vocab)"), ("width", "\(width)"),
            ("layers", "\(layers)"), ("heads", "\(heads)"), ("context", "\(context)"), ("batch", "\(batch)"),
            ("steps", "\(steps)"), ("threads", "\(EngineThreads.count)"),
            ("gemm_threading", "\"\(EngineThreads.strategy.rawValue)\""), ("parameters", "\(config.parameterCount)"),
            ("blas_core", "\"\(BLASKernel.loadedCore)\""),
        ]
        switch mode {
        case .train:
            let model = try TransformerModel(config: config, seed: seed)
            let session = try TrainingSession(
                model: model, schedule: LearningRateSchedule(maxLearningRate: 1e-3, warmupSteps: 1, totalSteps: warmup + steps))
            let batches = (0..<2).map { _ in
                TrainingBatch(
                    batchSize: batch, sequenceLength: context, tokens: randomTokens(batch * context),
                    targets: randomTokens(batch * context))
            }
            for i in 0..<warmup { try session.step(batches[i % 2]) }
            let cpuStart = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            var loss: Float = 0
            for i in 0..<steps { loss = try session.step(batches[i % 2]).loss }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = cpuSeconds() - cpuStart
            let tokensPerSecond = Double(batch * context * steps) / seconds
            let flops = config.trainingFLOPsPerToken(sequenceLength: context)
            fields += [
                ("tokens_per_second", fmt(tokensPerSecond)), ("flops_per_token", fmt(flops)),
                ("gflops", fmt(flops * tokensPerSecond / 1e9)), ("seconds", fmt(seconds)), ("cpu_seconds", fmt(cpu)),
                ("final_loss", fmt(Double(loss))),
            ]
            if let path = save { try model.parameters.save(to: path, extraMetadata: ["source": "workbench bench engine"]) }
        case .infer:
            let params = try Parameters(config: config, seed: seed)
            if let path = save { try params.save(to: path) }
            let session = try InferenceSession(parameters: params, batchSize: batch, capacity: context)
            let sequences = (0..<(warmup + steps)).map { _ in randomTokens(batch * context) }
            var checksum = 0.0
            func decode(_ toks: [Int32]) throws {
                session.resetAll()
                for t in 0..<context {
                    let p = try session.stepProbabilities((0..<batch).map { toks[$0 * context + t] })
                    checksum += Double(p[0])
                }
            }
            for i in 0..<warmup { try decode(sequences[i]) }
            let cpuStart = cpuSeconds()
            var start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<steps { try decode(sequences[warmup + i]) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = cpuSeconds() - cpuStart
            let tokensPerSecond = Double(batch * context * steps) / seconds
            // whole-sequence forward for comparison: deterministic kernels, then OpenBLAS
            start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<steps {
                for b in 0..<batch {
                    let toks = Array(sequences[warmup + i][(b * context)..<((b + 1) * context)])
                    checksum += Double(try InferenceSession.sequenceLogits(parameters: params, tokens: toks)[0])
                }
            }
            let detSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let model = try TransformerModel(parameters: params)
            let full = TrainingBatch(batchSize: batch, sequenceLength: context, tokens: sequences[0], targets: sequences[0])
            try model.forward(full, forTraining: false)
            start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<steps {
                let b = TrainingBatch(
                    batchSize: batch, sequenceLength: context, tokens: sequences[warmup + i],
                    targets: sequences[warmup + i])
                checksum += Double(try model.forward(b, forTraining: false))
            }
            let blasSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let avgContext = (context + 1) / 2
            let flops = config.forwardFLOPsPerToken(sequenceLength: avgContext)
            fields += [
                ("tokens_per_second", fmt(tokensPerSecond)), ("flops_per_token", fmt(flops)),
                ("gflops", fmt(flops * tokensPerSecond / 1e9)), ("seconds", fmt(seconds)), ("cpu_seconds", fmt(cpu)),
                ("sequence_deterministic_tokens_per_second", fmt(Double(batch * context * steps) / detSeconds)),
                ("sequence_blas_tokens_per_second", fmt(Double(batch * context * steps) / blasSeconds)),
                ("checksum", fmt(checksum)),
            ]
        }
        fields.append(("peak_rss_bytes", "\(peakRSSBytes())"))
        print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }

    private func fmt(_ x: Double) -> String {
        x.isFinite ? String(format: "%.6g", x) : "null"
    }

    /// User plus system CPU time of the process so far (shows contention on a shared machine).
    private func cpuSeconds() -> Double {
        var u = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size (VmHWM from /proc/self/status), 0 where unavailable.
    private func peakRSSBytes() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }
}
