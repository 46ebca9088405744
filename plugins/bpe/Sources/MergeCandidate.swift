/// An entry of the trainer's merge queue: highest count first, then smallest `left << 32 | right`.
struct MergeCandidate: HeapElement {
    /// The pair's count when queued (it may have dropped since; the trainer checks).
    var count: Int64
    /// `left << 32 | right`: the tie-break, smallest first.
    var key: UInt64
    /// The pair's index in the trainer's tables.
    var pair: Int32

    @inline(__always) static func precedes(_ a: MergeCandidate, _ b: MergeCandidate) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }
}
