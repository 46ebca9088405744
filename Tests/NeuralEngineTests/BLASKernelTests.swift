import Testing

@testable import NeuralEngine

/// The choice of OpenBLAS core, as pure functions of the core OpenBLAS loaded, the CPU's flags
/// and the environment (the re-execution itself is exercised by the CLI, which runs it first).
extension NeuralEngineTests {
    @Suite struct BLASKernelTests {
        static let avx512 = CPUFeatures(
            flags: ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"],
            vendor: "AuthenticAMD", megahertz: 2000)
        static let avx2 = CPUFeatures(flags: ["sse3", "avx", "avx2", "fma"], vendor: "GenuineIntel", megahertz: 3000)
        static let avxOnly = CPUFeatures(flags: ["sse3", "avx"])

        @Test func readsTheFirstProcessorOfCpuinfo() {
            let text = """
                processor\t: 0
                vendor_id\t: GenuineIntel
                model name\t: Intel(R) Xeon(R) Processor
                cpu MHz\t\t: 2100.000
                flags\t\t: fpu sse2 avx2 fma avx512f avx512dq avx512bw avx512vl avx512_bf16

                processor\t: 1
                vendor_id\t: SomethingElse
                flags\t\t: fpu
                """
            let cpu = CPUFeatures(cpuinfo: text)
            #expect(cpu.vendor == "GenuineIntel")
            #expect(cpu.modelName == "Intel(R) Xeon(R) Processor")
            #expect(cpu.megahertz == 2100)
            #expect(cpu.hasAVX512SkylakeSet && cpu.hasAVX2AndFMA && cpu.hasAVX512BF16)
            #expect(cpu.bestVectorISA == .avx512)
            // 2.1 GHz x 2 pipes x 16 lanes x 2 FLOPs x 2 threads
            #expect(abs((cpu.peakGFLOPs(isa: .avx512, threads: 2) ?? 0) - 268.8) < 1e-9)
        }

        @Test func peakCountsZen4AVX512AtItsAVX2Rate() {
            #expect(Self.avx512.peakGFLOPs(isa: .avx512, threads: 1) == 64)
            #expect(Self.avx2.peakGFLOPs(isa: .avx2FMA, threads: 1) == 96)
            #expect(Self.avx2.peakGFLOPs(isa: .sse, threads: 1) == 24)
            #expect(CPUFeatures(flags: []).peakGFLOPs(isa: .sse, threads: 1) == nil)
        }

        @Test func onlyAnSSEFallbackIsReplaced() {
            #expect(BLASKernel.recommendedCore(loaded: "Prescott", features: Self.avx512) == "SkylakeX")
            #expect(BLASKernel.recommendedCore(loaded: "Core2", features: Self.avx512) == "SkylakeX")
            #expect(BLASKernel.recommendedCore(loaded: "Nehalem", features: Self.avx2) == "Haswell")
            #expect(BLASKernel.recommendedCore(loaded: "Prescott", features: Self.avxOnly) == nil)
            // OpenBLAS's deliberate choices stand, and so do names we do not know.
            #expect(BLASKernel.recommendedCore(loaded: "Haswell", features: Self.avx512) == nil)
            #expect(BLASKernel.recommendedCore(loaded: "Sandybridge", features: Self.avx512) == nil)
            #expect(BLASKernel.recommendedCore(loaded: "SkylakeX", features: Self.avx512) == nil)
            #expect(BLASKernel.recommendedCore(loaded: "NEOVERSEN1", features: Self.avx512) == nil)
            #expect(BLASKernel.isa(ofCore: "skylakex") == .avx512 && BLASKernel.isa(ofCore: "PRESCOTT") == .sse)
        }

        @Test func theEnvironmentDecides() {
            func plan(_ env: [String: String], loaded: String = "Prescott") -> BLASKernel.LaunchPlan {
                BLASKernel.launchPlan(environment: env, loaded: loaded, features: Self.avx512)
            }
            #expect(plan([:]) == .relaunch(core: "SkylakeX", origin: .automatic(replaced: "Prescott")))
            #expect(
                plan(["WORKBENCH_BLAS_CORE": "auto"]) == .relaunch(core: "SkylakeX", origin: .automatic(replaced: "Prescott")))
            #expect(plan([:], loaded: "SkylakeX") == .stay(.detected))
            #expect(plan(["WORKBENCH_BLAS_CORE": "keep"]) == .stay(.detected))
            #expect(
                plan(["WORKBENCH_BLAS_CORE": "Haswell"]) == .relaunch(core: "Haswell", origin: .requested(replaced: "Prescott")))
            #expect(plan(["WORKBENCH_BLAS_CORE": "prescott"]) == .stay(.requested(replaced: "Prescott")))
            // A caller's OPENBLAS_CORETYPE is never overridden, not even by WORKBENCH_BLAS_CORE.
            #expect(plan(["OPENBLAS_CORETYPE": "Prescott"]) == .stay(.environment))
            #expect(plan(["OPENBLAS_CORETYPE": "Prescott", "WORKBENCH_BLAS_CORE": "Haswell"]) == .stay(.environment))
            // The re-executed process never re-executes again, whatever OpenBLAS loaded.
            let marked = ["OPENBLAS_CORETYPE": "SkylakeX", "WORKBENCH_BLAS_RELAUNCHED": "Prescott"]
            #expect(plan(marked) == .stay(.automatic(replaced: "Prescott")))
            #expect(
                plan(["OPENBLAS_CORETYPE": "Bogus", "WORKBENCH_BLAS_RELAUNCHED": "Prescott", "WORKBENCH_BLAS_CORE": "Bogus"])
                    == .stay(.requested(replaced: "Prescott")))
        }
    }
}
