/// An element of a `BinaryHeap`: `precedes` says which of two comes out first.
protocol HeapElement {
    /// Whether `a` leaves the heap before `b` (a strict order).
    static func precedes(_ a: Self, _ b: Self) -> Bool
}

/// A binary heap whose top is the element every other one does not precede: the trainer's merge
/// queue and the encoder's queue of long-word merges (where the comparison is packed into a 64-bit
/// key, so sifting is integer compares only).
struct BinaryHeap<Element: HeapElement> {
    private var elements: [Element] = []

    /// An empty heap with room for `capacity` elements.
    init(capacity: Int = 0) { elements.reserveCapacity(capacity) }

    /// Whether the heap is empty.
    var isEmpty: Bool { elements.isEmpty }
    /// Elements in the heap.
    var count: Int { elements.count }

    /// Adds an element (O(log n)).
    mutating func push(_ element: Element) {
        elements.append(element)
        elements.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                if !Element.precedes(element, heap[parent]) { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = element
        }
    }

    /// Removes and returns the first element, or nil when empty (O(log n)).
    mutating func pop() -> Element? {
        guard let last = elements.popLast() else { return nil }
        if elements.isEmpty { return last }
        return elements.withUnsafeMutableBufferPointer { heap -> Element in
            let top = heap[0]
            let count = heap.count
            var parent = 0
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count, Element.precedes(heap[child + 1], heap[child]) { child += 1 }
                if !Element.precedes(heap[child], last) { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = last
            return top
        }
    }
}

/// Packed keys: the smallest comes out first.
extension UInt64: HeapElement {
    @inline(__always) static func precedes(_ a: UInt64, _ b: UInt64) -> Bool { a < b }
}
