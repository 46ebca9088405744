/// What `workbench bench blas` prints: sgemm GFLOP/s of the loaded OpenBLAS kernel on the
/// products one training step of a model makes, and on a 1024^3 square, against the machine's
/// fp32 FMA peak, so a kernel that does not fit the processor shows at once.
public struct BLASReport {
    /// The JSON object's fields in order, values already encoded as JSON.
    public var fields: [(key: String, json: String)]
    /// Set when the loaded kernel uses a narrower vector ISA than the processor offers.
    public var kernelWarning: String?

    /// Times the step's products of `config` at `batch` sequences, `rounds` rounds each, on the
    /// current `EngineThreads`.
    public init(config: ModelConfig, batch: Int, rounds: Int) {
        let core = BLASKernel.loadedCore
        let cpu = CPUFeatures.current
        let kernelISA = BLASKernel.isa(ofCore: core)
        let machineISA = cpu.bestVectorISA
        let planned = config.trainingMatmulShapes(rows: batch * config.contextLength)
        let timings = SgemmBenchmark.time(planned.map(\.shape), rounds: rounds)
        let step = SgemmBenchmark.stepGFLOPs(timings, perStep: planned.map(\.perStep))
        let square = SgemmBenchmark.time(
            [SgemmShape(name: "square", transA: false, transB: true, m: 1024, n: 1024, k: 1024)], rounds: rounds)[0]
        let threads = EngineThreads.count
        let peak = cpu.peakGFLOPs(isa: machineISA, threads: threads)
        if let kernelISA, kernelISA < machineISA {
            kernelWarning = """
                OpenBLAS runs its \(core) kernels (\(kernelISA.rawValue)) on a processor with \(machineISA.rawValue): \
                matrix products are several times slower than they could be; see WORKBENCH_BLAS_CORE in README.md
                """
        }
        func number(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.4g", $0) : "null" } ?? "null" }
        func quoted(_ s: String?) -> String { s.map { "\"\($0)\"" } ?? "null" }
        let shapes = timings.map { t in
            "{\"name\": \"\(t.shape.name)\", \"trans\": \"\(t.shape.transA ? "T" : "N")\(t.shape.transB ? "T" : "N")\", "
                + "\"m\": \(t.shape.m), \"n\": \(t.shape.n), \"k\": \(t.shape.k), \"gflops\": \(number(t.gflops))}"
        }
        fields = [
            ("benchmark", "\"blas\""), ("blas_core", quoted(core)), ("kernel_isa", quoted(kernelISA?.rawValue)),
            ("machine_isa", quoted(machineISA.rawValue)), ("cpu_model", quoted(cpu.modelName)),
            ("cpu_mhz", number(cpu.megahertz)), ("threads", "\(threads)"),
            ("gemm_threading", "\"\(EngineThreads.strategy.rawValue)\""), ("vocab", "\(config.vocabularySize)"),
            ("width", "\(config.width)"), ("layers", "\(config.layers)"), ("context", "\(config.contextLength)"),
            ("batch", "\(batch)"), ("model_shapes_gflops", number(step)), ("square_1024_gflops", number(square.gflops)),
            ("peak_gflops", number(peak)), ("fraction_of_peak", number(peak.map { step / $0 })),
            ("kernel_isa_peak_gflops", number(kernelISA.flatMap { cpu.peakGFLOPs(isa: $0, threads: threads) })),
            ("shapes", "[" + shapes.joined(separator: ", ") + "]"),
        ]
    }
}
