import Foundation
import WorkbenchCore

/// What one document becomes in a corpus-wide command's output.
struct DocumentRecord: Sendable {
    /// Bytes appended to the main output (a JSON line, or little-endian token ids).
    var payload: [UInt8]
    /// Items in `payload` (tokens for token arrays), for the document index.
    var items: Int
    /// Compressor symbols the document encoded to.
    var symbols: Int
    /// Raw bytes of the document.
    var rawBytes: Int
}

/// Streams a corpus through a per-document function on `jobs` threads, in bounded batches, and
/// hands the results to a sink in corpus order.
///
/// Memory: at most `jobs + 2` batches are alive (one being read, up to `jobs + 1` queued or being
/// encoded, the oldest of them being written), each capped at `batchDocuments` documents and
/// `batchBytes` raw bytes, so it does not grow with the corpus. Keeping more than one batch ahead
/// lets the workers go on while the calling thread reads lines and writes results (for a fast
/// compressor such as bpe that serial work is a fifth of the total).
struct DocumentPipeline {
    var stream: CorpusStream
    var units: Range<Int>
    var split: CorpusSplit
    var jobs: Int
    // Small enough that even the shipped corpus (6 MB) runs several batches, so its peak memory
    // is the steady state a 10x corpus also reaches; large enough that a batch is milliseconds of work.
    var batchDocuments = 256
    var batchBytes = 1 << 20

    /// Runs `record` on every document of the split in `units`, and `sink` on each result in order.
    /// - Returns: counts (documents, raw bytes, symbols, items, skipped lines).
    /// - Throws: the first error in corpus order (a bad line, a codec error, a write error).
    func run(
        record: @escaping @Sendable (CorpusDocument) throws -> DocumentRecord, sink: (DocumentRecord) throws -> Void
    ) throws -> ShardCounts {
        var counts = ShardCounts()
        let stream = self.stream
        let split = self.split
        let jobs = self.jobs
        var pending: [PendingBatch] = []
        let inFlight = jobs + 1
        let pool = jobs > 1 ? WorkerPool(threads: jobs) : nil
        defer { pool?.close() }
        var batch: [CorpusStream.RawDocument] = []
        var batchRawBytes = 0

        func drain(_ finished: PendingBatch) throws {
            finished.wait()
            for outcome in finished.outcomes {
                switch outcome {
                case .record(let result):
                    counts.documents += 1
                    counts.rawBytes += result.rawBytes
                    counts.symbols += result.symbols
                    counts.items += result.items
                    try sink(result)
                case .otherSplit: break
                case .skipped: counts.skippedLines += 1
                case .failed(let error): throw error
                }
            }
        }
        func launch() throws {
            let next = PendingBatch(batch) { raw in
                switch try stream.decode(raw, split: split) {
                case .document(let document): return .record(try record(document))
                case .otherSplit: return .otherSplit
                case .skipped(let line): return .skipped(line)
                }
            }
            batch = []
            batchRawBytes = 0
            // With one job there is no overlap: "1 job" means one thread doing all the work, the
            // baseline `--jobs` is measured against.
            if let pool { pool.submit(next) } else { next.runNow() }
            pending.append(next)
            while pending.count > (pool == nil ? 0 : inFlight - 1) { try drain(pending.removeFirst()) }
        }
        try stream.forEachRawDocument(units: units) { raw in
            batch.append(raw)
            batchRawBytes += raw.bytes.count
            if batch.count >= batchDocuments || batchRawBytes >= batchBytes { try launch() }
        }
        if !batch.isEmpty { try launch() }
        for finished in pending { try drain(finished) }
        return counts
    }
}

/// One batch being encoded on several threads; results land by index, so order is kept.
private final class PendingBatch: @unchecked Sendable {
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

/// `--jobs` threads that live as long as the pipeline and work through submitted batches in order.
///
/// Why threads of its own and not `DispatchQueue.concurrentPerform`: on Linux, libdispatch sizes
/// its pool by how busy the CPUs look, so on a machine shared with a training job the number of
/// threads would depend on the neighbours rather than on `--jobs`. Why long-lived: a fixed set of
/// threads keeps a fixed set of malloc arenas, so peak memory does not creep with the corpus length.
private final class WorkerPool: @unchecked Sendable {
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
