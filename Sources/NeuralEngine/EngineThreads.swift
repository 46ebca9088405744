import COpenBLAS

#if canImport(Glibc)
import Glibc
#endif

/// Threading of the engine: both cores by default, and never OpenBLAS threads and our own
/// workers at once.
///
/// Two strategies for matrix products: `.splitRows` (default) keeps OpenBLAS single-threaded
/// and splits each large product into one row (or column) band per thread on our own workers,
/// so no OpenBLAS thread spins while our element-wise loops run; `.openBLAS` lets OpenBLAS
/// thread each product itself. Select with `set(_:strategy:)` or the environment variable
/// `NEURALENGINE_GEMM_THREADING=openblas|split`.
public enum EngineThreads {
    /// How large matrix products use the threads.
    public enum Strategy: String, Sendable { case splitRows = "split", openBLAS = "openblas" }

    nonisolated(unsafe) private static var configured = max(1, min(64, System.activeProcessors))
    nonisolated(unsafe) private static var strategyValue: Strategy = {
        let s: Strategy
        if let e = getenv("NEURALENGINE_GEMM_THREADING"), let v = Strategy(rawValue: String(cString: e)) {
            s = v
        } else {
            s = .splitRows
        }
        openblas_set_num_threads(s == .splitRows ? 1 : Int32(max(1, min(64, System.activeProcessors))))
        return s
    }()

    /// Threads used for element-wise work, per-head attention and matrix products.
    public static var count: Int { configured }
    /// The matrix-product threading strategy in force.
    public static var strategy: Strategy { strategyValue }

    /// Sets the thread count (and optionally the strategy); call between steps, not during one.
    public static func set(_ n: Int, strategy: Strategy? = nil) {
        configured = max(1, n)
        if let s = strategy { strategyValue = s }
        openblas_set_num_threads(strategyValue == .splitRows ? 1 : Int32(configured))
    }

    /// Runs `body` while OpenBLAS is limited to one thread (used inside our own parallel loops).
    @inline(__always) static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        if configured == 1 || strategyValue == .splitRows { return try body() }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(configured)) }
        return try body()
    }
}

enum System {
    static var activeProcessors: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 2
        #endif
    }
}
