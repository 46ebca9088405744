import Foundation

/// Times the transformer on random tokens: training steps (forward, backward, AdamW) or batch
/// incremental decoding with a KV cache. The fields match those of the PyTorch reference
/// benchmark (`Benchmarks/engine/pytorch_bench.py`), so the two print comparable JSON lines.
public struct EngineBenchmark {
    /// What is timed.
    public enum Mode: String, CaseIterable, Sendable {
        /// Forward, backward and an AdamW update per step.
        case train
        /// Incremental decoding of `context` tokens per sequence, softmax every step.
        case infer
    }

    public var config: ModelConfig
    public var mode: Mode
    /// Sequences per batch.
    public var batch: Int
    /// Timed steps (train) or timed sequences of `config.contextLength` tokens (infer).
    public var steps: Int
    /// Untimed steps before the timed ones.
    public var warmup: Int
    /// Seed of the weights and the random tokens.
    public var seed: UInt64
    /// Where to save the weights (final for train, initial for infer), if anywhere.
    public var savePath: String?

    public init(config: ModelConfig, mode: Mode, batch: Int, steps: Int, warmup: Int, seed: UInt64, savePath: String? = nil) {
        (self.config, self.mode, self.batch, self.steps, self.warmup, self.seed) = (config, mode, batch, steps, warmup, seed)
        self.savePath = savePath
    }

    /// Runs the benchmark on the current `EngineThreads` and returns the JSON object's fields in
    /// order, values already encoded as JSON.
    public func run() throws -> [(key: String, json: String)] {
        var rng = SeededGenerator(seed: seed)
        let vocabulary = UInt64(config.vocabularySize)
        let context = config.contextLength
        let randomTokens = { (count: Int) in (0..<count).map { _ in Int32(rng.next() % vocabulary) } }
        var fields: [(key: String, json: String)] = [
            ("engine", "\"neuralengine\""), ("mode", "\"\(mode.rawValue)\""), ("vocab", "\(config.vocabularySize)"),
            ("width", "\(config.width)"), ("layers", "\(config.layers)"), ("heads", "\(config.heads)"),
            ("context", "\(context)"), ("batch", "\(batch)"), ("steps", "\(steps)"), ("threads", "\(EngineThreads.count)"),
            ("gemm_threading", "\"\(EngineThreads.strategy.rawValue)\""), ("parameters", "\(config.parameterCount)"),
            ("blas_core", "\"\(BLASKernel.loadedCore)\""),
        ]
        let tokens = Double(batch * context * steps)
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
            for index in 0..<warmup { try session.step(batches[index % 2]) }
            var loss: Float = 0
            let (seconds, cpu) = try Self.timed { for index in 0..<steps { loss = try session.step(batches[index % 2]).loss } }
            let flops = config.trainingFLOPsPerToken(sequenceLength: context)
            fields += [
                ("tokens_per_second", Self.number(tokens / seconds)), ("flops_per_token", Self.number(flops)),
                ("gflops", Self.number(flops * tokens / seconds / 1e9)), ("seconds", Self.number(seconds)),
                ("cpu_seconds", Self.number(cpu)), ("final_loss", Self.number(Double(loss))),
            ]
            if let savePath { try model.parameters.save(to: savePath, extraMetadata: ["source": "workbench bench engine"]) }
        case .infer:
            let parameters = try Parameters(config: config, seed: seed)
            if let savePath { try parameters.save(to: savePath) }
            let session = try InferenceSession(parameters: parameters, batchSize: batch, capacity: context)
            let sequences = (0..<(warmup + steps)).map { _ in randomTokens(batch * context) }
            var checksum = 0.0
            func decode(_ sequence: [Int32]) throws {
                session.resetAll()
                for position in 0..<context {
                    let probabilities = try session.stepProbabilities((0..<batch).map { sequence[$0 * context + position] })
                    checksum += Double(probabilities[0])
                }
            }
            for index in 0..<warmup { try decode(sequences[index]) }
            let (seconds, cpu) = try Self.timed { for index in 0..<steps { try decode(sequences[warmup + index]) } }
            // The whole-sequence forward for comparison: deterministic kernels, then OpenBLAS.
            let (deterministicSeconds, _) = try Self.timed {
                for index in 0..<steps {
                    for row in 0..<batch {
                        let sequence = Array(sequences[warmup + index][(row * context)..<((row + 1) * context)])
                        checksum += Double(try InferenceSession.sequenceLogits(parameters: parameters, tokens: sequence)[0])
                    }
                }
            }
            let model = try TransformerModel(parameters: parameters)
            try model.forward(
                TrainingBatch(batchSize: batch, sequenceLength: context, tokens: sequences[0], targets: sequences[0]),
                forTraining: false)
            let (blasSeconds, _) = try Self.timed {
                for index in 0..<steps {
                    let sequence = sequences[warmup + index]
                    let full = TrainingBatch(batchSize: batch, sequenceLength: context, tokens: sequence, targets: sequence)
                    checksum += Double(try model.forward(full, forTraining: false))
                }
            }
            let flops = config.forwardFLOPsPerToken(sequenceLength: (context + 1) / 2)
            fields += [
                ("tokens_per_second", Self.number(tokens / seconds)), ("flops_per_token", Self.number(flops)),
                ("gflops", Self.number(flops * tokens / seconds / 1e9)), ("seconds", Self.number(seconds)),
                ("cpu_seconds", Self.number(cpu)),
                ("sequence_deterministic_tokens_per_second", Self.number(tokens / deterministicSeconds)),
                ("sequence_blas_tokens_per_second", Self.number(tokens / blasSeconds)), ("checksum", Self.number(checksum)),
            ]
        }
        fields.append(("peak_rss_bytes", "\(Self.peakResidentBytes())"))
        return fields
    }

    /// The fields as one JSON object on one line.
    public static func jsonLine(_ fields: [(key: String, json: String)]) -> String {
        "{" + fields.map { "\"\($0.key)\": \($0.json)" }.joined(separator: ", ") + "}"
    }

    /// Wall and CPU seconds (user plus system: shows contention on a shared machine) of `work`.
    private static func timed(_ work: () throws -> Void) throws -> (wall: Double, cpu: Double) {
        let cpuStart = cpuSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        try work()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuSeconds() - cpuStart)
    }

    private static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6g", value) : "null"
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size (VmHWM of /proc/self/status), 0 where unavailable.
    private static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return 0
    }
}
