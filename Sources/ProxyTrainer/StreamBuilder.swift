/// What a token is, as a prediction target: used for loss weights and the loss split by view.
public enum TokenView: UInt8, Sendable, Codable {
    /// bos, eos and opening sentinels.
    case special = 0
    /// Raw bytes and `</raw>`.
    case raw = 1
    /// Compressed symbols and `</compressed>`.
    case compressed = 2
}

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

/// Lays out one document as stream units for a mode and a drawn choice of views.
public enum StreamBuilder {
    /// The units of one document. `rawFirst` decides the order of a pair in the `_random` modes.
    public static func units(for document: ProxyDocument, views: DocumentViews, mode: StreamMode, rawFirst: Bool) -> [StreamUnit] {
        func single(_ view: DocumentViews) -> StreamUnit {
            var unit = StreamUnit(tokens: [ProxyVocabulary.bos], views: [.special])
            let sentinels = mode != .vanilla
            if view == .raw { unit.appendRaw(document, sentinels: sentinels) } else { unit.appendCompressed(document, sentinels: sentinels) }
            unit.append(ProxyVocabulary.eos, .special)
            return unit
        }
        guard views == .both, mode.pairsViews else {
            return [single(views == .compressed ? .compressed : .raw)]
        }
        let rawLeads: Bool
        switch mode {
        case .translationRawCompressed, .parallelRawCompressed: rawLeads = true
        case .translationCompressedRaw, .parallelCompressedRaw: rawLeads = false
        default: rawLeads = rawFirst
        }
        if mode.pairsInOneContext {
            var unit = StreamUnit(tokens: [ProxyVocabulary.bos], views: [.special])
            if rawLeads {
                unit.appendRaw(document, sentinels: true)
                unit.appendCompressed(document, sentinels: true)
            } else {
                unit.appendCompressed(document, sentinels: true)
                unit.appendRaw(document, sentinels: true)
            }
            unit.append(ProxyVocabulary.eos, .special)
            return [unit]
        }
        return rawLeads ? [single(.raw), single(.compressed)] : [single(.compressed), single(.raw)]
    }
}
