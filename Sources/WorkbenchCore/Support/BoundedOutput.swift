/// Collects a streaming decoder's output (zstd, brotli, zlib...) into a buffer that never grows past a bound.
///
/// Why: a compressed stream may claim (or really contain) far more data than the caller can
/// hold. The decoder writes straight into the buffer's storage, which grows geometrically up to
/// `limit`; once the limit is reached a one-byte probe tells "the stream ends exactly here" from
/// "the stream has more", so an output of exactly `limit` bytes is still accepted.
public enum BoundedOutput {
    /// What one decoder step reports.
    public struct Progress {
        /// Bytes written into the window given to the step.
        public var produced: Int
        /// True when the whole stream has been decoded and all input consumed.
        public var finished: Bool

        /// Creates a step report.
        public init(produced: Int, finished: Bool) {
            self.produced = produced
            self.finished = finished
        }
    }

    /// Runs `step` until the stream finishes, into a new array (see `decode(into:...)`).
    public static func decode(
        initialCapacity: Int, limit: Int, compressor: String,
        step: (UnsafeMutablePointer<UInt8>, Int) throws(CodecError) -> Progress
    ) throws(CodecError) -> [UInt8] {
        let buffer = DecodeBuffer()
        try decode(into: buffer, initialCapacity: initialCapacity, limit: limit, compressor: compressor, step: step)
        return buffer.array
    }

    /// Runs `step` until the stream finishes, into `buffer` (its contents replaced).
    /// - Parameters:
    ///   - initialCapacity: a size hint (a frame header, the input size); never trusted beyond
    ///     `limit`.
    ///   - step: decodes into the window `(start, count)` until the window is full or the stream
    ///     ends. It must throw (truncated or corrupt input) rather than return without progress
    ///     while the window still has room.
    /// - Throws: `CodecError.Kind.outputLimitExceeded` past `limit`, or what `step` throws.
    public static func decode(
        into buffer: DecodeBuffer, initialCapacity: Int, limit: Int, compressor: String,
        step: (UnsafeMutablePointer<UInt8>, Int) throws(CodecError) -> Progress
    ) throws(CodecError) {
        let limit = max(limit, 0)
        var capacity = min(max(initialCapacity, 64), limit)
        buffer.count = 0
        buffer.reserve(capacity)
        while true {
            if buffer.count < capacity {
                let progress = try step(buffer.base + buffer.count, capacity - buffer.count)
                buffer.count += progress.produced
                if progress.finished { return }
            }
            // The window is full. Before growing, ask for one more byte: when a size hint was
            // exact, the stream ends here (only a checksum or end marker remained) and nothing
            // needs to grow; when the output is at the bound, any further byte is one too many.
            var probe: UInt8 = 0
            let progress = try step(&probe, 1)
            if progress.produced == 0 {
                if progress.finished { return }
                // `step` must throw rather than stall; reaching here would mean a stall.
                throw CodecError(.corruptInput, compressor: compressor, "the stream stalled at \(buffer.count) decoded bytes")
            }
            guard capacity < limit else {
                throw CodecError(
                    .outputLimitExceeded, compressor: compressor,
                    "the decoded document is longer than the limit of \(limit) bytes; raise maxOutputBytes if the input is trusted"
                )
            }
            // Doubling keeps the total copying below the final size.
            capacity = limit - capacity > capacity ? max(capacity * 2, 64) : limit
            buffer.reserve(capacity)
            buffer.base[buffer.count] = probe
            buffer.count += 1
            if progress.finished { return }
        }
    }
}
