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
/// Memory: at most two batches are alive (one being encoded while the next is read), each capped
/// at `batchDocuments` documents and `batchBytes` raw bytes, so it does not grow with the corpus.
struct DocumentPipeline {
    var stream: CorpusStream
    var units: Range<Int>
    var split: CorpusSplit
    var jobs: Int
    var batchDocuments = 512
    var batchBytes = 4 << 20

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
        var pending: PendingBatch?
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
            let next = PendingBatch(batch, jobs: jobs) { raw in
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
            if jobs == 1 { next.runNow() } else { next.start() }
            if let pending { try drain(pending) }
            pending = next
        }
        try stream.forEachRawDocument(units: units) { raw in
            batch.append(raw)
            batchRawBytes += raw.bytes.count
            if batch.count >= batchDocuments || batchRawBytes >= batchBytes { try launch() }
        }
        if !batch.isEmpty { try launch() }
        if let pending { try drain(pending) }
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

    // Subtle: `@unchecked Sendable` holds because each index of `outcomes` is written by exactly
    // one worker (the one that claimed it under `lock`), and read only after `group` is done.
    private(set) var outcomes: [Outcome]
    private let inputs: [CorpusStream.RawDocument]
    private let jobs: Int
    private let work: (CorpusStream.RawDocument) throws -> Outcome
    private let lock = NSLock()
    private var nextIndex = 0
    private let group = DispatchGroup()

    init(_ inputs: [CorpusStream.RawDocument], jobs: Int, work: @escaping (CorpusStream.RawDocument) throws -> Outcome) {
        self.inputs = inputs
        self.jobs = jobs
        self.work = work
        outcomes = Array(repeating: .otherSplit, count: inputs.count)
    }

    /// Encodes on `jobs` threads in the background; `wait` joins them.
    func start() {
        group.enter()
        DispatchQueue.global().async {
            self.runNow()
            self.group.leave()
        }
    }

    /// Encodes on `jobs` threads (this one included) and returns when done.
    func runNow() {
        let workers = min(jobs, inputs.count)
        outcomes.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: max(workers, 1)) { _ in
                while let index = claim() {
                    do {
                        slots[index] = try work(inputs[index])
                    } catch {
                        slots[index] = .failed(error)
                    }
                }
            }
        }
    }

    func wait() { group.wait() }

    private func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < inputs.count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}
