import Foundation
import WorkbenchCore

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
