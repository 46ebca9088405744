/// Lays out one document as stream units for a mode and a drawn choice of views.
public enum StreamBuilder {
    /// The units of one document. `rawFirst` decides the order of a pair in the `_random` modes.
    public static func units(for document: ProxyDocument, views: DocumentViews, mode: StreamMode, rawFirst: Bool) -> [StreamUnit]
    {
        func single(_ view: DocumentViews) -> StreamUnit {
            var unit = StreamUnit(tokens: [ProxyVocabulary.bos], views: [.special])
            let sentinels = mode != .vanilla
            if view == .raw {
                unit.appendRaw(document, sentinels: sentinels)
            } else {
                unit.appendCompressed(document, sentinels: sentinels)
            }
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
