/// Collects a streaming decoder's output (zstd, brotli, zlib...) into an array that never grows past a bound.
///
/// Why: a compressed stream may claim (or really contain) far more data than the caller can
/// hold. The decoder writes straight into the result's storage, which grows geometrically up to
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

    /// Runs `step` until the stream finishes.
    /// - Parameters:
    ///   - initialCapacity: a size hint (a frame header, the input size); never trusted beyond
    ///     `limit`.
    ///   - step: decodes into the window `(start, count)` until the window is full or the stream
    ///     ends. It must throw (truncated or corrupt input) rather than return without progress
    ///     while the window still has room.
    /// - Throws: `CodecError.Kind.outputLimitExceeded` past `limit`, or what `step` throws.
    public static func decode(
        initialCapacity: Int, limit: Int, compressor: String,
        step: (UnsafeMutablePointer<UInt8>, Int) throws(CodecError) -> Progress
    ) throws(CodecError) -> [UInt8] {
        let limit = max(limit, 0)
        var capacity = min(max(initialCapacity, 64), limit)
        var result: [UInt8] = []
        var carried: UInt8? = nil
        var endedInProbe = false
        while true {
            var failure: CodecError?
            var finished = false
            let previous = result
            let carriedByte = carried
            result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                guard let base = buffer.baseAddress else { return }  // capacity 0: only the probe runs
                var written = 0
                previous.withUnsafeBufferPointer { old in
                    if let oldBase = old.baseAddress, old.count > 0 {
                        base.initialize(from: oldBase, count: old.count)
                        written = old.count
                    }
                }
                if let carriedByte {
                    base[written] = carriedByte
                    written += 1
                }
                do throws(CodecError) {
                    if endedInProbe {
                        finished = true
                    } else if written < capacity {
                        let progress = try step(base + written, capacity - written)
                        written += progress.produced
                        finished = progress.finished
                    }
                } catch {
                    failure = error
                }
                initialized = written
            }
            if let failure { throw failure }
            if finished { return result }
            // The window is full. Before growing, ask for one more byte: when a size hint was
            // exact, the stream ends here (only a checksum or end marker remained) and the
            // result needs no copy; when the output is at the bound, any further byte is one
            // too many.
            var probe: UInt8 = 0
            let progress = try step(&probe, 1)
            if progress.produced == 0 {
                if progress.finished { return result }
                // `step` must throw rather than stall; reaching here would mean a stall.
                throw CodecError(.corruptInput, compressor: compressor, "the stream stalled at \(result.count) decoded bytes")
            }
            guard capacity < limit else {
                throw CodecError(
                    .outputLimitExceeded, compressor: compressor,
                    "the decoded document is longer than the limit of \(limit) bytes; raise maxOutputBytes if the input is trusted")
            }
            carried = probe
            // Doubling keeps the total copying below the final size.
            capacity = limit - capacity > capacity ? max(capacity * 2, 64) : limit
            if progress.finished {
                endedInProbe = true
                capacity = result.count + 1  // the probe byte was the last one
            }
        }
    }
}
