import Foundation

/// Coded segments by their bytes, shared by every call of one compressor: repeated segments
/// (license headers, boilerplate, `import` blocks) are coded once. A segment's code depends only
/// on its bytes (coder and M1 both start fresh), so a hit returns exactly what coding would.
/// Bounded: when full it is cleared (simple and deterministic in output, if not in hit rate).
final class SegmentCache: @unchecked Sendable {
    private var entries: [[UInt8]: ACCodec.CodedSegment] = [:]
    private var storedBytes = 0
    private let byteLimit: Int
    private let lock = NSLock()
    private(set) var hits = 0

    init(byteLimit: Int = 16 << 20) { self.byteLimit = byteLimit }

    func lookup(_ bytes: [UInt8]) -> ACCodec.CodedSegment? {
        lock.withLock {
            let found = entries[bytes]
            if found != nil { hits += 1 }
            return found
        }
    }

    func insert(_ bytes: [UInt8], _ coded: ACCodec.CodedSegment) {
        lock.withLock {
            if storedBytes + bytes.count > byteLimit {
                entries.removeAll()
                storedBytes = 0
            }
            if entries.updateValue(coded, forKey: bytes) == nil { storedBytes += bytes.count }
        }
    }
}
