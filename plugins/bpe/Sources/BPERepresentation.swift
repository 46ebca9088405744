/// How token ids are written as symbols (the reference code's three views of a BPE stream).
public enum BPERepresentation: String, Sendable, CaseIterable {
    /// One symbol per token: its id (alphabet = vocabulary size).
    case ids
    /// Two symbols per token: its id as 2 big-endian bytes (alphabet 256).
    case bytes
    /// Two symbols per token: the Gray code `r ^ (r >> 1)` of the token's rank `r` among all
    /// tokens sorted by their bytes, as 2 big-endian bytes (alphabet 256). Tokens that sort next
    /// to each other then differ in one bit.
    case gray

    /// Symbols written per token.
    public var symbolsPerToken: Int { self == .ids ? 1 : 2 }

    /// The Gray code of a rank.
    @inline(__always) public static func grayCode(_ rank: UInt32) -> UInt32 { rank ^ (rank >> 1) }

    /// The rank whose Gray code is `code` (prefix XOR of the bits).
    @inline(__always) public static func rank(ofGrayCode code: UInt32) -> UInt32 {
        var rank = code
        rank ^= rank >> 1
        rank ^= rank >> 2
        rank ^= rank >> 4
        rank ^= rank >> 8
        rank ^= rank >> 16
        return rank
    }
}
