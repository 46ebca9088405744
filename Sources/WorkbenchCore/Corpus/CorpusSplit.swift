/// Which part of a corpus a document belongs to, decided by a hash of its bytes alone.
///
/// The rule: take the first 8 bytes of SHA-256 of the document's UTF-8 bytes as a big-endian
/// unsigned integer, modulo 100: below 90 is `train`, below 95 `valid`, the rest `test`. It
/// depends on nothing but the document, so identical documents always land in the same split
/// (no train/test leakage through duplicates), and anyone can recompute it:
/// `int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % 100` in Python.
public enum CorpusSplit: String, Sendable, CaseIterable, Codable {
    /// 90% of documents: compressors and models train here.
    case train
    /// 5%: every reported number is measured here by default.
    case valid
    /// 5%: held out for final numbers.
    case test
    /// Every document.
    case all

    /// The rule in words, recorded in manifests and results.
    public static let ruleDescription =
        "sha256(document bytes)[0..<8] as big-endian UInt64 mod 100: <90 train, <95 valid, else test"

    /// The split a document belongs to by the exact rule (never `.all`).
    public static func assign(_ document: [UInt8]) -> CorpusSplit { assign(key: key(of: document)) }

    /// A document's key: the first 8 bytes of its SHA-256, big-endian (what the rule reduces).
    public static func key(of document: [UInt8]) -> UInt64 {
        let digest = SHA256.digest(document)
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }

    /// The split of a document key by the exact rule.
    public static func assign(key value: UInt64) -> CorpusSplit {
        switch value % 100 {
        case ..<90: return .train
        case ..<95: return .valid
        default: return .test
        }
    }

    /// Whether a document assigned to `assigned` is part of this split.
    public func contains(_ assigned: CorpusSplit) -> Bool { self == .all || self == assigned }
}
