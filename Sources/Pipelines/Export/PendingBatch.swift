import Foundation
import WorkbenchCore

/// One batch being encoded on several threads; results land by index, so order is kept.
final class PendingBatch: @unchecked Sendable {
    enum Outcome {
        case record(DocumentRecord)
        case otherSplit
        case skipped(String)
        case failed(Error)
    }

    // Subtle: `@unchecked Sendable` holds because `outcomes`, `nextIndex` and `completed` are only
    // touched under `lock` while workers run, and `outcomes` is read only after `done`.
    private(set) var outcomes: [Outcome]
    private let inputs: [CorpusStream.RawDocument]
    private let work: (CorpusStream.RawDocument) throws -> Outcome
    private let lock = NSLock()
    private var nextIndex = 0
    private var completed = 0
    private let done = DispatchSemaphore(value: 0)

    init(_ inputs: [CorpusStream.RawDocument], work: @escaping (CorpusStream.RawDocument) throws -> Outcome) {
        self.inputs = inputs
        self.work = work
        outcomes = Array(repeating: .otherSplit, count: inputs.count)
        if inputs.isEmpty { done.signal() }
    }

    /// Encodes on the calling thread and returns when done.
    func runNow() { workLoop() }

    /// Claims and encodes documents until none is left unclaimed (other threads may still be
    /// finishing theirs).
    func workLoop() {
        while let index = claim() {
            let outcome: Outcome
            do {
                outcome = try work(inputs[index])
            } catch {
                outcome = .failed(error)
            }
            lock.lock()
            outcomes[index] = outcome
            completed += 1
            let finished = completed == inputs.count
            lock.unlock()
            if finished { done.signal() }
        }
    }

    /// Whether every document has been claimed.
    var isExhausted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return nextIndex == inputs.count
    }

    /// Blocks until every document is encoded.
    func wait() {
        done.wait()
        done.signal()  // Subtle: stays signalled, so a second wait returns at once.
    }

    private func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < inputs.count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}
