/// A binary min-heap of 64-bit keys, with the comparison packed into the key itself so that
/// sifting is integer compares only.
struct MinHeap {
    private(set) var keys: [UInt64] = []

    var isEmpty: Bool { keys.isEmpty }
    var count: Int { keys.count }

    init(capacity: Int = 0) { keys.reserveCapacity(capacity) }

    mutating func push(_ key: UInt64) {
        keys.append(key)
        keys.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                if heap[parent] <= key { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = key
        }
    }

    /// Removes and returns the smallest key, or nil when empty.
    mutating func pop() -> UInt64? {
        guard let last = keys.popLast() else { return nil }
        if keys.isEmpty { return last }
        return keys.withUnsafeMutableBufferPointer { heap -> UInt64 in
            let top = heap[0]
            let count = heap.count
            var parent = 0
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count, heap[child + 1] < heap[child] { child += 1 }
                if last <= heap[child] { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
            return top
        }
    }
}
