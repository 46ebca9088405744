import ArgumentParser
import Foundation
import NeuralEngine

/// `workbench bench blas`: sgemm GFLOP/s of the loaded OpenBLAS kernel on the shapes a training
/// step uses, against the machine's fp32 FMA peak, so a wrong kernel shows at once.
struct BenchBLASCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blas",
        abstract: "Time OpenBLAS sgemm on the model's matrix shapes against the machine's FMA peak (one JSON line).",
        discussion: """
            The peak is the reported clock x fp32 FLOPs per cycle of the widest vector ISA the \
            processor offers (AVX-512: 2 FMA pipes x 16 lanes x 2 on Intel, 2 x 8 x 2 on AMD Zen 4; \
            AVX2+FMA: 2 x 8 x 2; SSE: 8) x threads. Under a hypervisor the clock is the nominal one. \
            WORKBENCH_BLAS_CORE=auto|keep|NAME selects the kernel (default auto: replace OpenBLAS's \
            SSE fallback on a processor it does not know); an OPENBLAS_CORETYPE you set is never overridden.
            """)

    @Option(help: "Vocabulary size.") var vocab: Int = 320
    @Option(help: "Model width.") var width: Int = 256
    @Option(help: "Transformer blocks.") var layers: Int = 4
    @Option(help: "Attention heads.") var heads: Int = 4
    @Option(help: "Sequence length.") var context: Int = 512
    @Option(help: "Sequences per batch.") var batch: Int = 8
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Timed rounds per shape (the best is kept).") var rounds: Int = 3
    @Flag(help: "Print only the name of the OpenBLAS core this process runs, and exit (used by make test).")
    var printCore = false

    var config: ModelConfig {
        ModelConfig(vocabularySize: vocab, width: width, layers: layers, heads: heads, contextLength: context)
    }

    func validate() throws {
        do { try config.validate() } catch { throw ValidationError("\(error)") }
        guard batch >= 1, rounds >= 1 else { throw ValidationError("--batch and --rounds must be >= 1") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be >= 1") }
    }

    func run() throws {
        let core = BLASKernel.loadedCore
        if printCore {
            print(core)
            return
        }
        EngineThreads.set(threads ?? EngineThreads.count)
        let report = BLASReport(config: config, batch: batch, rounds: rounds)
        if let warning = report.kernelWarning { log.warning("\(warning)") }
        print(EngineBenchmark.jsonLine(report.fields))
    }
}
