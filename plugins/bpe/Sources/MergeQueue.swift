/// The trainer's priority queue: highest count first, then smallest `left << 32 | right`.
struct MergeQueue {
    struct Entry {
        var count: Int64
        var key: UInt64
        var pair: Int32
    }

    private var heap: [Entry] = []

    @inline(__always) private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }

    mutating func push(count: Int64, key: UInt64, pair: Int32) {
        let entry = Entry(count: count, key: key, pair: pair)
        heap.append(entry)
        heap.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                if !Self.before(entry, heap[parent]) { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = entry
        }
    }

    mutating func pop() -> Entry? {
        guard let last = heap.popLast() else { return nil }
        if heap.isEmpty { return last }
        return heap.withUnsafeMutableBufferPointer { heap -> Entry in
            let top = heap[0]
            let count = heap.count
            var parent = 0
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count, Self.before(heap[child + 1], heap[child]) { child += 1 }
                if !Self.before(heap[child], last) { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
            return top
        }
    }
}
