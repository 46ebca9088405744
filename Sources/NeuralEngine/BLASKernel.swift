import COpenBLAS

/// The kernel family ("core") OpenBLAS runs matrix products with, and which one it should be.
///
/// Why this exists: a DYNAMIC_ARCH OpenBLAS picks its core from the processor's CPUID family and
/// model while the library loads. A release older than the processor (Debian's 0.3.21 on AMD
/// Zen 4, or on the generic CPU model a hypervisor presents) does not recognise it and falls back
/// to its SSE3 "Prescott" kernels, about 3.5 times slower for our training than the AVX-512 ones
/// the same processor runs. OpenBLAS reads `OPENBLAS_CORETYPE` only while loading, so a better
/// choice takes a new process: `BLASKernel.relaunchIfBetterCore` (BLASKernel+Relaunch.swift).
public enum BLASKernel {
    /// The core OpenBLAS loaded in this process, as it names it: `SkylakeX`, `Haswell`, `Prescott`.
    public static var loadedCore: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The vector ISA of a core's kernels, nil for a name this table does not know (newer
    /// OpenBLAS cores, other architectures). Names compare case-insensitively, as OpenBLAS does.
    public static func isa(ofCore name: String) -> VectorISA? {
        switch name.lowercased() {
        case "unknown", "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn",
            "dunnington", "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat":
            return .sse
        case "sandybridge", "bulldozer":
            return .avx
        case "haswell", "zen", "piledriver", "steamroller", "excavator":
            return .avx2FMA
        case "skylakex", "cooperlake", "sapphirerapids":
            return .avx512
        default:
            return nil
        }
    }

    /// The core to use instead of `loaded`, or nil to keep it.
    ///
    /// Only an SSE-only core is replaced: that is OpenBLAS's fallback for a processor it does not
    /// know, while any other core is a deliberate choice of OpenBLAS's (an AVX core on a machine
    /// whose OS does not save AVX-512 state, say) that we have no better information to overrule.
    /// The replacement is the widest core the processor's flags support: `SkylakeX` for
    /// AVX-512 F, BW, DQ and VL, `Haswell` for AVX2 and FMA; nothing else (AVX alone is not worth
    /// a new process, and SSE kernels are what we already have).
    ///
    /// Subtle: never `Cooperlake`, even with AVX-512 BF16. Its fp32 kernels are SkylakeX's (it
    /// adds only bfloat16 `sbgemm`, which the engine does not call), and Debian's OpenBLAS 0.3.21
    /// refuses `OPENBLAS_CORETYPE=Cooperlake` ("Core not found") and then loads Prescott.
    public static func recommendedCore(loaded: String, features: CPUFeatures) -> String? {
        guard isa(ofCore: loaded) == .sse else { return nil }
        if features.hasAVX512SkylakeSet { return "SkylakeX" }
        if features.hasAVX2AndFMA { return "Haswell" }
        return nil
    }
}
