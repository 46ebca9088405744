import WorkbenchCore

/// Registry rows for the raw view and its regroupings: `bytes`, `bits`, `dibits`, `nibbles`,
/// `bytepairs`. They share one implementation, `ByteRegrouping`, because they are one idea at
/// five widths.
public enum BytesPlugin {
    /// The identity: one symbol per byte, alphabet 256.
    public static let bytes = entry(
        "bytes", "Raw bytes", 8, "the raw view (identity), the baseline every comparison needs")
    /// One symbol per bit, alphabet 2.
    public static let bits = entry("bits", "Bits", 1, "8 one-bit symbols per byte (granularity control)")
    /// One symbol per 2 bits, alphabet 4.
    public static let dibits = entry("dibits", "Dibits", 2, "4 two-bit symbols per byte (granularity control)")
    /// One symbol per 4 bits, alphabet 16.
    public static let nibbles = entry("nibbles", "Nibbles", 4, "2 four-bit symbols per byte (granularity control)")
    /// One symbol per byte pair, alphabet 65,792 (pairs plus a lone trailing byte).
    public static let bytepairs = entry(
        "bytepairs", "Byte pairs", 16, "16-bit symbols, big-endian pairs; an odd last byte is symbol 65536+b")

    private static func entry(_ id: String, _ name: String, _ width: Int, _ summary: String) -> CompressorEntry {
        CompressorEntry(id: id, displayName: name, summary: summary) { _, _ in
            ByteRegrouping(id: id, displayName: name, bitsPerSymbol: width)
        }
    }
}
