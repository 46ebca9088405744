import Foundation

extension ModelConfig {
    /// Bytes the engine allocates for one batch shape: the activations and gradients of
    /// `Workspace` (the attention matrices grow with batch x heads x sequence length squared).
    public func workspaceBytes(batchSize: Int, sequenceLength: Int) -> Double {
        let b = Double(batchSize), t = Double(sequenceLength), n = b * t
        let c = Double(width), h = Double(hiddenWidth), v = Double(vocabularySize), nh = Double(heads)
        let perLayer = 7 * n * c + 2 * n * h + b * nh * t * t + 2 * n
        let heads = extraHead ? 2.0 : 1.0
        let floats = Double(layers) * perLayer + Double(layers + 1) * n * c + n * c + heads * n * v + 6 * n * c + n * h + 8 * n
        return floats * 4
    }

    /// Bytes a training run holds: weights, gradients and both AdamW moments, plus a training and
    /// an evaluation workspace of `batchSize` sequences.
    public func trainingBytes(batchSize: Int, sequenceLength: Int) -> Double {
        4 * 4 * Double(parameterCount) + 2 * workspaceBytes(batchSize: batchSize, sequenceLength: sequenceLength)
    }
}

/// The machine's memory, to refuse a run that cannot fit before allocating it.
public enum MachineMemory {
    /// Physical memory in bytes (sysconf), or nil when it cannot be read.
    public static var physicalBytes: Double? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return nil }
        return Double(pages) * Double(size)
    }

    /// Throws when `bytes` exceed 90% of physical memory, naming what to shrink.
    /// - Throws: `EngineError.invalidConfig` with the estimate, the machine's memory and `advice`.
    public static func check(_ bytes: Double, what: String, advice: String) throws {
        guard let physical = physicalBytes, bytes > 0.9 * physical else { return }
        throw EngineError.invalidConfig(
            String(
                format: "%@ needs about %.3g GB but this machine has %.3g GB; %@", what, bytes / 1e9, physical / 1e9, advice))
    }
}
