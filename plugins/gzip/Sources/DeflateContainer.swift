/// The wrapper around a deflate stream.
public enum DeflateContainer: String, Sendable, CaseIterable {
    /// RFC 1952: a 10-byte header, the deflate stream, CRC-32 and length. What `gzip` writes.
    case gzip
    /// RFC 1950: a 2-byte header, the deflate stream, Adler-32.
    case zlib
    /// RFC 1951: the bare deflate stream, no check value (bit flips may go unnoticed).
    case raw

    /// zlib's `windowBits` argument selecting this wrapper with a 32 KB window.
    var windowBits: Int32 {
        switch self {
        case .gzip: return 15 + 16
        case .zlib: return 15
        case .raw: return -15
        }
    }
}
