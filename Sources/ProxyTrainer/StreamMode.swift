/// How documents are laid out in the training stream ("Proxy Compression for Language Modeling"; the reference code's names).
public enum StreamMode: String, Sendable, Codable, CaseIterable {
    /// One view per document, no view sentinels: `bos content eos`.
    case vanilla
    /// One view per document inside its sentinels: `bos <raw> bytes </raw> eos` or
    /// `bos <compressed> symbols </compressed> eos`. The paper's main mode.
    case sentinel
    /// Both views in one context, raw first.
    case translationRawCompressed = "translation_raw_compressed"
    /// Both views in one context, compressed first.
    case translationCompressedRaw = "translation_compressed_raw"
    /// Both views in one context, order drawn per document.
    case translationRandom = "translation_random"
    /// Both views as separate documents (the mask keeps them apart), raw first.
    case parallelRawCompressed = "parallel_raw_compressed"
    /// Both views as separate documents, compressed first.
    case parallelCompressedRaw = "parallel_compressed_raw"
    /// Both views as separate documents, order drawn per document.
    case parallelRandom = "parallel_random"

    /// Whether a drawn document may carry both views.
    public var pairsViews: Bool { self != .vanilla && self != .sentinel }

    /// Whether the two views of a pair share one context.
    public var pairsInOneContext: Bool {
        self == .translationRawCompressed || self == .translationCompressedRaw || self == .translationRandom
    }

    /// The per-document draw that keeps the share of compressed views equal to `rate`.
    ///
    /// Single-view modes draw "compressed" with probability r. Pairing modes follow the reference
    /// code: when r > 0.5, raw documents become pairs and y = 2 - 1/r is the probability of a
    /// compressed-only document (views: 1 compressed, 1 - y raw, share 1/(2 - y) = r); otherwise
    /// compressed documents become pairs and y = r / (1 - r) is the probability of a pair
    /// (views: 1 raw, y compressed, share y/(1 + y) = r).
    public func draw<G: RandomNumberGenerator>(rate: Double, using generator: inout G) -> DocumentViews {
        let u = Double.random(in: 0..<1, using: &generator)
        guard pairsViews else { return u < rate ? .compressed : .raw }
        if rate >= 1 { return .compressed }
        if rate <= 0 { return .raw }
        if rate > 0.5 {
            return u < 2 - 1 / rate ? .compressed : .both
        }
        return u < rate / (1 - rate) ? .both : .raw
    }
}

/// Which views of one document go into the stream.
public enum DocumentViews: Sendable, Equatable {
    case raw, compressed, both
}
