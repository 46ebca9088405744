/// The widest fp32 vector arithmetic a matrix-product kernel can use.
public enum VectorISA: String, Sendable, Comparable, CaseIterable {
    /// 4 lanes, separate multiply and add (OpenBLAS's Prescott, Core2, Nehalem... kernels).
    case sse
    /// 8 lanes, separate multiply and add (Sandybridge).
    case avx
    /// 8 lanes, fused multiply-add (Haswell, Zen).
    case avx2FMA = "avx2+fma"
    /// 16 lanes, fused multiply-add (SkylakeX, Cooperlake, SapphireRapids).
    case avx512

    /// Narrower first, in the order the cases are declared.
    public static func < (a: VectorISA, b: VectorISA) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .sse: return 0
        case .avx: return 1
        case .avx2FMA: return 2
        case .avx512: return 3
        }
    }
}

extension CPUFeatures {
    /// The widest of `VectorISA` this processor offers.
    public var bestVectorISA: VectorISA {
        if hasAVX512SkylakeSet { return .avx512 }
        if hasAVX2AndFMA { return .avx2FMA }
        if flags.contains("avx") { return .avx }
        return .sse
    }

    /// fp32 FLOPs one core can retire per cycle with `isa`: two vector pipes, each doing a fused
    /// multiply-add (2 FLOPs per lane) or, without FMA, one pipe multiplying and one adding.
    ///
    /// Subtle: AMD's Zen 4 runs AVX-512 on 256-bit pipes (two passes per instruction), so its
    /// AVX-512 rate is its AVX2 rate; Intel server cores since Skylake-SP have two 512-bit FMA
    /// pipes (a few low-end parts have one: there this figure is twice the truth).
    public func fp32FLOPsPerCycle(_ isa: VectorISA) -> Double {
        switch isa {
        case .sse: return 2 * 4
        case .avx: return 2 * 8
        case .avx2FMA: return 2 * 8 * 2
        case .avx512: return vendor == "AuthenticAMD" ? 2 * 8 * 2 : 2 * 16 * 2
        }
    }

    /// Peak fp32 GFLOP/s of `threads` cores at the reported clock with `isa` (nil when the
    /// clock is unknown): clock × `fp32FLOPsPerCycle(isa)` × threads. An upper bound nothing
    /// reaches; a kernel at 70-90% of it is doing its job.
    public func peakGFLOPs(isa: VectorISA, threads: Int) -> Double? {
        guard let mhz = megahertz, mhz > 0 else { return nil }
        return mhz / 1000 * fp32FLOPsPerCycle(isa) * Double(threads)
    }
}
