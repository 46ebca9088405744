import Foundation

/// M1's next-byte probabilities by the bytes seen since a reset, shared by every call of one
/// compressor.
///
/// Why: with `context=window` M1 restarts at every equal-info window, so the contexts it is
/// asked about are short (a window holds about 5 bytes of code) and they repeat constantly
/// (indentation, `self.`, `return `). A context's probabilities depend only on its bytes
/// (deterministic mode), so a hit returns exactly what the model would compute, bit for bit, and
/// encoder and decoder agree whatever each one's cache holds.
///
/// Bounded: once `entryLimit` contexts are stored it stops inserting (the frequent contexts come
/// first), so memory stays under about `entryLimit` KiB.
final class PredictionCache: @unchecked Sendable {
    /// Longest context cached, in bytes (longer ones are rare repeats and would fill the cache).
    let maximumDepth: Int
    private let entryLimit: Int
    private var entries: [[UInt8]: [Float]] = [:]
    private let lock = NSLock()
    private(set) var hits = 0
    private(set) var misses = 0

    init(maximumDepth: Int = 24, entryLimit: Int = 1 << 16) {
        self.maximumDepth = maximumDepth
        self.entryLimit = entryLimit
    }

    /// The probabilities after `context`, when cached.
    func lookup(_ context: [UInt8]) -> [Float]? {
        lock.withLock {
            let found = entries[context]
            if found == nil { misses += 1 } else { hits += 1 }
            return found
        }
    }

    /// Stores the probabilities after `context` (ignored when full).
    func insert(_ context: [UInt8], _ probabilities: [Float]) {
        lock.withLock {
            if entries.count < entryLimit { entries[context] = probabilities }
        }
    }
}
