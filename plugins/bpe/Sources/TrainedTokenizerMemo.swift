import Foundation

/// Tokenizers trained in this process without a cache directory, so that building the same
/// compressor twice (tests, a comparison's several representations) trains once.
final class TrainedTokenizerMemo: @unchecked Sendable {
    static let shared = TrainedTokenizerMemo()
    private var tokenizers: [String: BPETokenizer] = [:]
    private let lock = NSLock()

    func tokenizer(key: String, make: () throws -> BPETokenizer) rethrows -> BPETokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let found = tokenizers[key] { return found }
        let made = try make()
        tokenizers[key] = made
        return made
    }

    /// A key for documents: their count, total length and a 64-bit hash of their bytes.
    static func fingerprint(_ documents: [[UInt8]]) -> String {
        var state: UInt64 = 0xCBF2_9CE4_8422_2325
        var total = 0
        for document in documents {
            document.withUnsafeBufferPointer { bytes in
                state ^= ByteStringTable.hash(bytes, 0..<bytes.count)
                state = state &* 0x0000_0100_0000_01B3
            }
            total += document.count
        }
        return "\(documents.count)/\(total)/\(state)"
    }
}
