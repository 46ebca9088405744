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
        let cpu = CPUFeatures.current
        let kernelISA = BLASKernel.isa(ofCore: core)
        let machineISA = cpu.bestVectorISA
        let planned = config.trainingMatmulShapes(rows: batch * context)
        let timings = SgemmBenchmark.time(planned.map(\.shape), rounds: rounds)
        let step = SgemmBenchmark.stepGFLOPs(timings, perStep: planned.map(\.perStep))
        let square = SgemmBenchmark.time(
            [SgemmShape(name: "square", transA: false, transB: true, m: 1024, n: 1024, k: 1024)], rounds: rounds)[0]
        let peak = cpu.peakGFLOPs(isa: machineISA, threads: EngineThreads.count)
        if let kernelISA, kernelISA < machineISA {
            log.warning(
                """
                OpenBLAS runs its \(core) kernels (\(kernelISA.rawValue)) on a processor with \(machineISA.rawValue): \
                matrix products are several times slower than they could be; see WORKBENCH_BLAS_CORE in README.md
                """)
        }

        func fmt(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.4g", $0) : "null" } ?? "null" }
        func quoted(_ s: String?) -> String { s.map { "\"\($0)\"" } ?? "null" }
        let shapes = timings.map { t in
            "{\"name\": \"\(t.shape.name)\", \"trans\": \"\(t.shape.transA ? "T" : "N")\(t.shape.transB ? "T" : "N")\", "
                + "\"m\": \(t.shape.m), \"n\": \(t.shape.n), \"k\": \(t.shape.k), \"gflops\": \(fmt(t.gflops))}"
        }
        let fields: [(String, String)] = [
            ("benchmark", "\"blas\""), ("blas_core", quoted(core)), ("kernel_isa", quoted(kernelISA?.rawValue)),
            ("machine_isa", quoted(machineISA.rawValue)), ("cpu_model", quoted(cpu.modelName)),
            ("cpu_mhz", fmt(cpu.megahertz)), ("threads", "\(EngineThreads.count)"),
            ("gemm_threading", "\"\(EngineThreads.strategy.rawValue)\""),
            ("vocab", "\(vocab)"), ("width", "\(width)"), ("layers", "\(layers)"), ("context", "\(context)"),
            ("batch", "\(batch)"), ("model_shapes_gflops", fmt(step)), ("square_1024_gflops", fmt(square.gflops)),
            ("peak_gflops", fmt(peak)), ("fraction_of_peak", fmt(peak.map { step / $0 })),
            ("kernel_isa_peak_gflops", fmt(kernelISA.flatMap { cpu.peakGFLOPs(isa: $0, threads: EngineThreads.count) })),
            ("shapes", "[" + shapes.joined(separator: ", ") + "]"),
        ]
        print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}
