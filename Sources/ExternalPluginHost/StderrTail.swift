import Foundation

/// The last few kilobytes a plugin wrote to standard error, kept so a failure can quote them.
///
/// Bounded because a chatty plugin must not grow the host's memory without limit; the tail is
/// what explains a crash (the traceback, the assertion), the head rarely is.
struct StderrTail: Sendable {
    /// How many bytes are kept.
    let capacityBytes: Int
    private var bytes: [UInt8] = []
    /// True once anything was dropped, so the quote can say it is partial.
    private(set) var truncated = false

    init(capacityBytes: Int = 4096) {
        self.capacityBytes = capacityBytes
    }

    mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: chunk)
        if bytes.count > capacityBytes {
            bytes.removeFirst(bytes.count - capacityBytes)
            truncated = true
        }
    }

    /// The tail as text (invalid UTF-8 repaired), trimmed, or nil when nothing was written.
    var text: String? {
        let decoded = String(decoding: bytes, as: UTF8.self)
        let trimmed = decoded.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        return truncated ? "..." + trimmed : trimmed
    }
}
