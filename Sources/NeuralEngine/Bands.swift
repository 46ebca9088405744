import Dispatch

/// Runs `body` over contiguous bands of `0..<count`, one per worker (at most `workers`).
/// Results never depend on the banding: every kernel computes each row on its own.
func forBands(_ count: Int, workers maxWorkers: Int, _ body: @escaping (Range<Int>, Int) -> Void) {
    let workers = max(1, min(EngineThreads.count, maxWorkers, count))
    if workers == 1 { body(0..<count, 0); return }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        body((count * w / workers)..<(count * (w + 1) / workers), w)
    }
}
