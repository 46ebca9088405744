/// One attention unit of the stream: a document in one or both views (positions of one unit see
/// each other; the document mask separates units).
public struct StreamUnit: Sendable, Equatable {
    /// Token ids.
    public var tokens: [Int32]
    /// The view of each token (same length).
    public var views: [TokenView]

    mutating func append(_ token: Int32, _ view: TokenView) {
        tokens.append(token)
        views.append(view)
    }

    mutating func appendRaw(_ document: ProxyDocument, sentinels: Bool) {
        if sentinels { append(ProxyVocabulary.rawOpen, .special) }
        tokens.append(contentsOf: document.raw)
        views.append(contentsOf: repeatElement(.raw, count: document.raw.count))
        if sentinels { append(ProxyVocabulary.rawClose, .raw) }
    }

    mutating func appendCompressed(_ document: ProxyDocument, sentinels: Bool) {
        if sentinels { append(ProxyVocabulary.compressedOpen, .special) }
        tokens.append(contentsOf: document.compressed)
        views.append(contentsOf: repeatElement(.compressed, count: document.compressed.count))
        if sentinels { append(ProxyVocabulary.compressedClose, .compressed) }
    }
}
