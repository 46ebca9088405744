/// What a token is, as a prediction target: used for loss weights and the loss split by view.
public enum TokenView: UInt8, Sendable, Codable {
    /// bos, eos and opening sentinels.
    case special = 0
    /// Raw bytes and `</raw>`.
    case raw = 1
    /// Compressed symbols and `</compressed>`.
    case compressed = 2
}
