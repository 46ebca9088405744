import Foundation
import WorkbenchCore

/// A streamed corpus's unit count and fingerprint, the fingerprint possibly still being computed.
///
/// Why: the fingerprint (SHA-256 of the whole corpus) is a serial pass that is only needed for the
/// header and marker written at the end, and for the cache key of a compressor that must train.
/// With `--jobs` above 1 it runs on a thread of its own while documents are encoded; with one job
/// it is computed first, in the same single pass as the unit count, so "1 job" stays one thread.
/// When no output records it (`encode` without shards), it is computed only if a plugin asks.
public final class CorpusInfo: @unchecked Sendable {
    // Subtle: `result` is written once, by the hashing thread before `ready` is signalled (read
    // only after waiting on `ready`), or on demand under `lock`.
    private var result: Result<String, WorkbenchError>?
    private let ready = DispatchSemaphore(value: 0)
    private let stream: CorpusStream
    private let onDemand: Bool
    private let lock = NSLock()
    /// Units in the corpus (see `ShardAssignment`).
    public let unitCount: Int

    /// Starts fingerprinting `stream` (unless `given`), in the background when `background`, or
    /// not until asked when `recorded` is false.
    /// - Throws: `WorkbenchError` for an unreadable or empty corpus.
    public init(_ stream: CorpusStream, given: String?, background: Bool, recorded: Bool) throws {
        self.stream = stream
        onDemand = given == nil && !recorded
        if onDemand {
            unitCount = try stream.countUnits()
        } else if let given {
            unitCount = try stream.countUnits()
            result = .success(given)
            ready.signal()
        } else if background {
            unitCount = try stream.countUnits()
            let thread = Thread { [self] in
                do {
                    result = .success(try stream.fingerprint())
                } catch {
                    result = .failure(error as? WorkbenchError ?? WorkbenchError("\(error)"))
                }
                ready.signal()
            }
            thread.start()
        } else {
            let scan = try stream.scan()
            unitCount = scan.unitCount
            result = .success(scan.sha256)
            ready.signal()
        }
    }

    /// The corpus SHA-256, waiting for it if needed.
    /// - Throws: `WorkbenchError` when the corpus could not be read.
    public func sha256() throws(WorkbenchError) -> String {
        if onDemand {
            lock.lock()
            defer { lock.unlock() }
            if result == nil {
                do {
                    result = .success(try stream.fingerprint())
                } catch {
                    result = .failure(error)
                }
            }
        } else {
            ready.wait()
            ready.signal()  // Subtle: stays signalled for the next caller.
        }
        switch result {
        case .success(let digest): return digest
        case .failure(let error): throw error
        case nil: throw WorkbenchError("internal: the corpus fingerprint was not computed")
        }
    }
}
