import Foundation

/// The shared cache of encoded words, guarded by its lock.
final class WordCache: @unchecked Sendable {
    struct Storage {
        /// Word bytes -> `start << 24 | count` in `ids`.
        var table = ByteStringTable(minimumCapacity: 4096)
        var ids: [UInt32] = []

        mutating func removeAll() {
            table.removeAll()
            ids.removeAll(keepingCapacity: true)
        }
    }

    let lock = NSLock()
    var storage = Storage()
}
