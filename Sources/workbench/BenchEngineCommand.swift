import ArgumentParser
import Foundation
import NeuralEngine

/// `workbench bench engine`: times the NeuralEngine transformer on random tokens and prints one
/// JSON line (compare with Benchmarks/engine/pytorch_bench.py, which prints the same fields).
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time NeuralEngine training steps or incremental inference on random tokens (one JSON line).")

    @Option(help: "Vocabulary size.") var vocab: Int = 320
    @Option(help: "Model width.") var width: Int = 256
    @Option(help: "Transformer blocks.") var layers: Int = 4
    @Option(help: "Attention heads.") var heads: Int = 4
    @Option(help: "Sequence length (train) or tokens generated per sequence (infer).") var context: Int = 512
    @Option(help: "Sequences per batch.") var batch: Int = 8
    @Option(help: "Timed steps (train) or timed sequences of `context` tokens (infer).") var steps: Int = 10
    @Option(help: "Untimed warm-up steps.") var warmup: Int = 2
    @Option(help: "train: forward, backward and AdamW; infer: incremental decoding with a KV cache.") var mode:
        EngineBenchmark.Mode = .train
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
        EngineThreads.set(threads ?? EngineThreads.count)
        let benchmark = EngineBenchmark(
            config: config, mode: mode, batch: batch, steps: steps, warmup: warmup, seed: seed, savePath: save)
        print(EngineBenchmark.jsonLine(try benchmark.run()))
    }
}

extension EngineBenchmark.Mode: ExpressibleByArgument {}
