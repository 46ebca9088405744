import Foundation

/// What the processor offers for matrix products, as the operating system reports it.
///
/// Read from `/proc/cpuinfo` rather than with the `cpuid` instruction: the kernel clears the
/// flags of vector extensions whose register state it does not save (XSAVE), so a flag listed
/// there is one a program may actually use, which is the question that matters here. Elsewhere
/// (macOS) the flags are empty and nothing is decided from them.
public struct CPUFeatures: Sendable, Equatable {
    /// Lowercase flag names (`avx2`, `fma`, `avx512f`, `avx512_bf16`...).
    public var flags: Set<String>
    /// `GenuineIntel`, `AuthenticAMD`..., when reported.
    public var vendor: String?
    /// The processor's name, when reported.
    public var modelName: String?
    /// The clock the kernel reports for the first processor, in MHz (the nominal clock under a
    /// hypervisor, which cannot see turbo).
    public var megahertz: Double?

    /// Features given directly (tests, or a machine described by hand).
    public init(flags: Set<String>, vendor: String? = nil, modelName: String? = nil, megahertz: Double? = nil) {
        self.flags = flags
        self.vendor = vendor
        self.modelName = modelName
        self.megahertz = megahertz
    }

    /// The features of this machine (empty when `/proc/cpuinfo` cannot be read).
    public static let current: CPUFeatures = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return CPUFeatures(flags: []) }
        return CPUFeatures(cpuinfo: text)
    }()

    /// Parses the text of `/proc/cpuinfo`; only the first processor's block is read (every core
    /// of the machines we run on is the same).
    public init(cpuinfo: String) {
        var fields: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !fields.isEmpty { break }
                continue
            }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        flags = Set((fields["flags"] ?? "").split(separator: " ").map { $0.lowercased() })
        vendor = fields["vendor_id"]
        modelName = fields["model name"]
        megahertz = fields["cpu MHz"].flatMap(Double.init)
    }

    /// AVX-512 Foundation, Byte/Word, Doubleword/Quadword and Vector Length: what OpenBLAS's
    /// SkylakeX kernels use.
    public var hasAVX512SkylakeSet: Bool {
        ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    }

    /// AVX2 and FMA3: what OpenBLAS's Haswell kernels use.
    public var hasAVX2AndFMA: Bool { flags.contains("avx2") && flags.contains("fma") }

    /// AVX-512 BF16 (`vdpbf16ps`): bfloat16 dot products accumulated in fp32.
    public var hasAVX512BF16: Bool { flags.contains("avx512_bf16") }
}
