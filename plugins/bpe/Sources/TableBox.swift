import Foundation

/// Holds two results of concurrent work.
final class TableBox: @unchecked Sendable {
    private var tables: [ByteStringTable?]
    private let lock = NSLock()
    init(count: Int) { tables = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ table: ByteStringTable) { lock.withLock { tables[index] = table } }
    func take(_ index: Int) -> ByteStringTable { lock.withLock { tables[index] ?? ByteStringTable() } }
}
