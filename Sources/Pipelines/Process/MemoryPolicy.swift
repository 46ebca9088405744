#if canImport(Glibc)
import Glibc
#endif

/// Keeps a long streaming run's resident memory at what it holds, not at what it once held.
public enum MemoryPolicy {
    /// Pins glibc's mmap threshold at its initial 128 KiB.
    ///
    /// Why: glibc raises the threshold each time a large mmapped block is freed, after which large
    /// arrays (documents, symbol arrays, payloads) come from the heap arenas, whose freed space is
    /// kept. Over a long stream the peak RSS then crept with the corpus length (measured, zstd,
    /// `--jobs 2`: 39.8 MB on the shipped corpus, 45.5 MB on 10x); pinned, it stays flat (38.1 vs
    /// 37.8 MB) at no measurable cost in time. No effect on other platforms.
    /// - Parameters:
    ///   - mmapThreshold: blocks from this size up are mmapped and returned on free.
    ///   - trimThreshold: free space above this at the top of the heap is returned (nil: glibc's
    ///     default, 128 KiB).
    public static func boundRetainedMemory(mmapThreshold threshold: Int32 = 128 << 10, trimThreshold: Int32? = nil) {
        #if canImport(Glibc)
        // Subtle: Swift's Glibc module does not export <malloc.h>, so mallopt is looked up by
        // name and called with the C convention; M_MMAP_THRESHOLD is -3 and M_TRIM_THRESHOLD -1
        // in glibc's ABI.
        let mmapThreshold: Int32 = -3
        let trimParameter: Int32 = -1
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(mmapThreshold, threshold)
        if let trimThreshold { _ = mallopt(trimParameter, trimThreshold) }
        #endif
    }
}
