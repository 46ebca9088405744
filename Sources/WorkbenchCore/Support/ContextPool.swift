#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// A thread-safe stack of reusable library contexts.
///
/// Why: creating a zstd/zlib context per call allocates and zeroes hundreds of kilobytes of
/// match tables, which costs as much as compressing a small document. A `Compressor` is
/// `Sendable` and may be called from several threads at once, so contexts cannot live in the
/// compressor itself; each call borrows one here and returns it, and a thread never shares a
/// context with another while using it.
public final class ContextPool<Context>: @unchecked Sendable {
    // Subtle: `@unchecked Sendable` is sound because `idle` is only touched under `mutex`, and a
    // borrowed context is owned by exactly one caller until it is given back. Both live behind
    // pointers: a pthread mutex must not move, and a class's `var` property would get a dynamic
    // exclusivity check on every access. Measured on a 13 KB document's zstd decode, that check
    // cost about 5% and Foundation's NSLock about 2%; a bare pthread mutex costs well under 1%.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let idle: UnsafeMutablePointer<[Context]>
    private let maximumIdle: Int
    private let create: () -> Context?
    private let destroy: (Context) -> Void

    /// - Parameters:
    ///   - maximumIdle: contexts kept for reuse; more concurrent callers get fresh ones that are
    ///     destroyed on return, so memory stays bounded however many threads call in.
    ///   - create: returns nil when the library cannot allocate.
    public init(maximumIdle: Int = 8, create: @escaping () -> Context?, destroy: @escaping (Context) -> Void) {
        self.maximumIdle = maximumIdle
        self.create = create
        self.destroy = destroy
        idle = .allocate(capacity: 1)
        idle.initialize(to: [])
        idle.pointee.reserveCapacity(maximumIdle)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        for context in idle.pointee { destroy(context) }
        idle.deinitialize(count: 1)
        idle.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with a context nobody else is using.
    /// - Throws: `failure` when no context can be created, or whatever `body` throws.
    public func withContext<Result>(
        failure: @autoclosure () -> CodecError,
        _ body: (Context) throws(CodecError) -> Result
    ) throws(CodecError) -> Result {
        pthread_mutex_lock(mutex)
        let reused = idle.pointee.popLast()
        pthread_mutex_unlock(mutex)
        guard let context = reused ?? create() else { throw failure() }
        defer { giveBack(context) }
        return try body(context)
    }

    private func giveBack(_ context: Context) {
        pthread_mutex_lock(mutex)
        if idle.pointee.count < maximumIdle {
            idle.pointee.append(context)
            pthread_mutex_unlock(mutex)
        } else {
            pthread_mutex_unlock(mutex)
            destroy(context)
        }
    }
}
