import Foundation

/// A reusable output buffer for decoding many documents without allocating for each one.
///
/// Why: `Compressor.decode` returns a new array per document; a caller that decodes a whole
/// split (the round-trip check of `compare`, benchmarks) can instead hand every call the same
/// buffer, as a C loop reuses one output buffer. Not thread-safe: one buffer per thread.
public final class DecodeBuffer {
    /// The storage; `capacity` bytes, of which the first `count` are the decoded document.
    public private(set) var base: UnsafeMutablePointer<UInt8>
    /// Bytes the storage holds.
    public private(set) var capacity: Int
    /// Bytes of the current document (at most `capacity`); decoders set it.
    public var count: Int = 0 {
        didSet { precondition(count >= 0 && count <= capacity, "DecodeBuffer count \(count) outside 0...\(capacity)") }
    }

    /// An empty buffer with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        guard let storage = malloc(self.capacity) else { fatalError("DecodeBuffer: cannot allocate \(self.capacity) bytes") }
        base = storage.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(base) }

    /// Makes room for at least `minimumCapacity` bytes, keeping the first `count`.
    public func reserve(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        guard let storage = realloc(base, minimumCapacity) else {
            fatalError("DecodeBuffer: cannot allocate \(minimumCapacity) bytes")
        }
        base = storage.assumingMemoryBound(to: UInt8.self)
        capacity = minimumCapacity
    }

    /// The decoded document.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The decoded document as a new array.
    public var array: [UInt8] { Array(bytes) }

    /// Replaces the contents with `document`.
    public func replace(with document: [UInt8]) {
        count = 0
        reserve(document.count)
        document.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { base.update(from: start, count: source.count) }
        }
        count = document.count
    }

    /// True when the contents equal `document`.
    public func holds(_ document: [UInt8]) -> Bool {
        guard document.count == count else { return false }
        return document.withUnsafeBufferPointer { other in
            guard let start = other.baseAddress, count > 0 else { return true }
            return memcmp(base, start, count) == 0
        }
    }
}
