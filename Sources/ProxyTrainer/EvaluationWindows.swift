/// How a held-out document is cut into model-sized windows so that every byte is scored exactly
/// once, each with as much context as the model allows.
///
/// A document is evaluated as `<raw> b1 ... bn </raw>` (PAPER.md: raw bytes only); only the byte
/// targets are scored. Windows hold T inputs and predict the T tokens after them. The first window
/// starts at 0; each later window starts `stride` tokens on and scores only targets no earlier
/// window scored, so a scored byte sees at least T - stride tokens of context (all of it for the
/// first window).
public struct EvaluationWindow: Sendable, Equatable {
    /// First input index into the document's token sequence.
    public var start: Int
    /// Inputs in this window (at most T).
    public var length: Int
    /// Targets scored: token indices `scored` (each predicted from the tokens before it).
    public var scored: Range<Int>
}

extension EvaluationWindow {
    /// The tokens of a held-out document: `<raw>`, its bytes, `</raw>`.
    public static func tokens(for document: [UInt8]) -> [Int32] {
        [ProxyVocabulary.rawOpen] + document.map(ProxyVocabulary.byteID) + [ProxyVocabulary.rawClose]
    }

    /// Windows for a document of `byteCount` bytes and a model context of `context` tokens.
    /// Byte targets are token indices 1...byteCount.
    public static func windows(byteCount: Int, context: Int, stride: Int? = nil) -> [EvaluationWindow] {
        guard byteCount > 0, context > 0 else { return [] }
        let step = max(1, min(context, stride ?? max(1, context / 2)))
        let tokenCount = byteCount + 2
        var windows: [EvaluationWindow] = []
        var scoredUpTo = 0  // last target index scored so far (targets start at 1)
        var start = 0
        while scoredUpTo < byteCount {
            let length = min(context, tokenCount - 1 - start)
            let lastTarget = min(start + length, byteCount)
            if lastTarget > scoredUpTo {
                windows.append(EvaluationWindow(start: start, length: length, scored: (scoredUpTo + 1)..<(lastTarget + 1)))
                scoredUpTo = lastTarget
            }
            start += step
        }
        return windows
    }
}
