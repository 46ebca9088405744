import CZlib
import WorkbenchCore

/// A heap-allocated zlib stream, initialized once and reset between documents.
///
/// Why a class on the heap: zlib's internal state points back to its `z_stream`, so the struct
/// must never move; and a level-9 deflate state is about 256 KB that is cheaper to reset than to
/// allocate for every document.
final class ZlibStream {
    /// Which direction the stream runs.
    enum Direction { case deflate(level: Int32), inflate }

    let stream: UnsafeMutablePointer<z_stream>
    let direction: Direction
    let container: DeflateContainer
    /// The gzip header zlib writes (mtime 0, OS 3); zlib keeps a pointer to it.
    private let header: UnsafeMutablePointer<gz_header>

    /// Returns nil when zlib cannot allocate its state.
    init?(_ direction: Direction, container: DeflateContainer) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        // Subtle: mtime 0 and OS 3 (Unix) are what Python's gzip.compress(data, mtime=0) writes
        // on Linux (it calls zlib with wbits=31, so zlib's OS_CODE), and what `gzip -n` writes,
        // so our members are byte-identical to the reference code's gzip_no_mtime. Setting the
        // header explicitly keeps it 3 on every platform (zlib's OS_CODE is 19 on macOS).
        header.pointee.os = 3
        header.pointee.time = 0
        self.direction = direction
        self.container = container
        let size = Int32(MemoryLayout<z_stream>.size)
        let status: Int32
        switch direction {
        case .deflate(let level):
            // memLevel 8 and the default strategy are zlib's and Python's defaults.
            status = deflateInit2_(stream, level, Z_DEFLATED, container.windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(), size)
        case .inflate:
            status = inflateInit2_(stream, container.windowBits, zlibVersion(), size)
        }
        guard status == Z_OK else {
            header.deallocate()
            stream.deallocate()
            return nil
        }
    }

    deinit {
        switch direction {
        case .deflate: deflateEnd(stream)
        case .inflate: inflateEnd(stream)
        }
        header.deallocate()
        stream.deallocate()
    }

    /// Readies the stream for the next document; false when zlib refuses.
    func reset() -> Bool {
        switch direction {
        case .deflate:
            guard deflateReset(stream) == Z_OK else { return false }
            return container != .gzip || deflateSetHeader(stream, header) == Z_OK
        case .inflate:
            return inflateReset(stream) == Z_OK
        }
    }
}
