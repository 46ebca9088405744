import Foundation
import WorkbenchCore

/// `--jobs` threads that live as long as the pipeline and work through submitted batches in order.
///
/// Why threads of its own and not `DispatchQueue.concurrentPerform`: on Linux, libdispatch sizes
/// its pool by how busy the CPUs look, so on a machine shared with a training job the number of
/// threads would depend on the neighbours rather than on `--jobs`. Why long-lived: a fixed set of
/// threads keeps a fixed set of malloc arenas, so peak memory does not creep with the corpus length.
final class WorkerPool: @unchecked Sendable {
    // Subtle: `queue` and `closed` are only touched under `condition`.
    private let condition = NSCondition()
    private var queue: [PendingBatch] = []
    private var closed = false

    init(threads: Int) {
        for _ in 0..<threads {
            let thread = Thread { [self] in run() }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Queues a batch; workers take it up after the batches before it.
    func submit(_ batch: PendingBatch) {
        condition.lock()
        queue.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// Lets the workers exit once the queue is empty.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            guard let batch = queue.first else {
                condition.unlock()
                return
            }
            condition.unlock()
            batch.workLoop()
            condition.lock()
            if queue.first === batch, batch.isExhausted { queue.removeFirst() }
            condition.unlock()
        }
    }
}
