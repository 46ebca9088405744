/// Where one request's documents sit in the caller's batch, so a message can name the document
/// the caller knows: a request carries a slice of up to `ExternalCompressor.maxRequestBytes`.
struct BatchPosition: Sendable {
    /// The index in the caller's batch of each document of the request, in request order.
    var indices: [Int]
    /// Documents in the caller's batch.
    var total: Int
    /// What the documents are called when they are not a caller's (the self-test's probes).
    var names: [String]?

    /// The documents `range` of a caller's batch of `total`.
    init(_ range: Range<Int>, of total: Int) {
        indices = Array(range)
        self.total = total
    }

    /// The given documents of a caller's batch of `total` (decoding leaves out encodings that
    /// were refused before sending).
    init(indices: [Int], of total: Int) {
        self.indices = indices
        self.total = total
    }

    /// The self-test's probe documents, named.
    static func probes(_ names: [String]) -> BatchPosition {
        var position = BatchPosition(0..<names.count, of: names.count)
        position.names = names
        return position
    }

    /// "the document (245 bytes)" for a call with one document, else "document 17 of 120 in this
    /// batch (245 bytes)"; `index` counts the request's documents.
    func document(_ index: Int, size: String) -> String {
        let inBatch = indices.indices.contains(index) ? indices[index] : index
        if let names, names.indices.contains(inBatch) { return "the self-test's \(names[inBatch]) (\(size))" }
        return total == 1 ? "the document (\(size))" : "document \(inBatch) of \(total) in this batch (\(size))"
    }

    /// The request's documents, for a failure of the whole request.
    func documents(_ count: Int) -> String {
        if names != nil { return "the self-test's \(count) probe documents" }
        if total == 1 { return "the document" }
        guard let first = indices.first, let last = indices.last else { return "no documents" }
        if indices.count == 1 { return "document \(first) of \(total) in this batch" }
        if last - first + 1 == indices.count { return "documents \(first)..<\(last + 1) of \(total) in this batch" }
        return "\(indices.count) documents from \(first) to \(last) of \(total) in this batch"
    }
}
