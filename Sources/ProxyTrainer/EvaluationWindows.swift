/// How a held-out document is cut into model-sized windows so that every byte is scored exactly
/// once, each with as much context as the model allows.
///
/// A document is evaluated as `bos <raw> b1 ... bn </raw>` (the paper: raw bytes only; `bos`
/// because every training unit starts with it), and only the byte targets (token indices
/// 2...n+1) are scored. A window holds up to T inputs and predicts the token after each. The
/// first window starts at 0; each later window starts `stride` tokens on (T/2 by default) and
/// scores only targets no earlier window scored, so every scored byte sees at least T - stride
/// tokens of context, or all of its prefix when that is shorter.
public struct EvaluationWindow: Sendable, Equatable {
    /// First input index into the document's token sequence.
    public var start: Int
    /// Inputs in this window (at most T).
    public var length: Int
    /// Token indices whose prediction is scored in this window.
    public var scored: Range<Int>
}

extension EvaluationWindow {
    /// Index of the first byte target in `tokens(for:)`.
    public static let firstByteIndex = 2

    /// The tokens of a held-out document: `bos`, `<raw>`, its bytes, `</raw>`.
    public static func tokens(for document: [UInt8]) -> [Int32] {
        [ProxyVocabulary.bos, ProxyVocabulary.rawOpen] + document.map(ProxyVocabulary.byteID) + [ProxyVocabulary.rawClose]
    }

    /// Windows for a document of `byteCount` bytes and a model context of `context` tokens.
    public static func windows(byteCount: Int, context: Int, stride: Int? = nil) -> [EvaluationWindow] {
        guard byteCount > 0, context > 0 else { return [] }
        let step = max(1, min(context, stride ?? max(1, context / 2)))
        let tokenCount = byteCount + 3
        let lastByteTarget = firstByteIndex + byteCount - 1
        var windows: [EvaluationWindow] = []
        var scoredUpTo = firstByteIndex - 1  // last target index scored so far
        var start = 0
        while scoredUpTo < lastByteTarget {
            let length = min(context, tokenCount - 1 - start)
            let lastTarget = min(start + length, lastByteTarget)
            if lastTarget > scoredUpTo {
                windows.append(EvaluationWindow(start: start, length: length, scored: (scoredUpTo + 1)..<(lastTarget + 1)))
                scoredUpTo = lastTarget
            }
            start += step
        }
        return windows
    }
}
