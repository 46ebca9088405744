import Foundation
import WorkbenchCore

/// A lock-protected result table for concurrent calls.
final class ResultTable: @unchecked Sendable {
    private var values: [EncodedDocument?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ value: EncodedDocument?) { lock.withLock { values[index] = value } }
    func value(_ index: Int) -> EncodedDocument? { lock.withLock { values[index] } }
}
