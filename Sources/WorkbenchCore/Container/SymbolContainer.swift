/// The self-describing file `workbench compress` writes and `workbench decompress` reads.
///
/// Layout (little-endian):
/// ```
/// 0   4  magic "WBSC"
/// 4   2  format version (1)
/// 6   2  spec length S
/// 8   S  canonical compressor spec, UTF-8 (`zstd:level=19`)
/// .   4  alphabet size
/// .   8  symbol count N
/// .   8  original byte count (the decode bound)
/// .   4  CRC-32 of the packed payload
/// .   *  N symbols packed at ceil(log2(alphabet)) bits, LSB first (SymbolPacking)
/// ```
/// Spans are not stored: they are derived data, and `workbench encode` exports them.
public struct SymbolContainer: Sendable, Equatable {
    /// The four magic bytes.
    public static let magic: [UInt8] = Array("WBSC".utf8)
    /// The format version this code writes and the newest it reads.
    public static let formatVersion: UInt16 = 1

    /// The canonical spec of the compressor that made it.
    public var spec: String
    /// The compressor's alphabet size.
    public var alphabetSize: Int
    /// The symbols.
    public var symbols: [UInt32]
    /// Length of the original document, used as the decode bound.
    public var originalByteCount: Int

    /// Creates a container.
    public init(spec: String, alphabetSize: Int, symbols: [UInt32], originalByteCount: Int) {
        self.spec = spec
        self.alphabetSize = alphabetSize
        self.symbols = symbols
        self.originalByteCount = originalByteCount
    }

    /// The serialized bytes.
    public func serialized() -> [UInt8] {
        let payload = SymbolPacking.pack(symbols, alphabetSize: alphabetSize)
        var out = SymbolContainer.magic
        let specBytes = Array(spec.utf8)
        out.appendLittleEndian(SymbolContainer.formatVersion)
        out.appendLittleEndian(UInt16(truncatingIfNeeded: specBytes.count))
        out.append(contentsOf: specBytes)
        out.appendLittleEndian(UInt32(truncatingIfNeeded: alphabetSize))
        out.appendLittleEndian(UInt64(symbols.count))
        out.appendLittleEndian(UInt64(originalByteCount))
        out.appendLittleEndian(CRC32.checksum(payload))
        out.append(contentsOf: payload)
        return out
    }

    /// Parses and checks a container.
    /// - Parameter maxSymbols: refuse containers announcing more symbols than this (memory guard).
    /// - Throws: `CodecError` for a wrong magic, a newer version, truncation or a checksum mismatch.
    public init(parsing bytes: [UInt8], maxSymbols: Int = 1 << 32) throws(CodecError) {
        var reader = ByteReader(bytes: bytes)
        let who = "container"
        guard let magic = reader.take(4), magic == SymbolContainer.magic else {
            throw CodecError(.corruptInput, compressor: who, "not a workbench container (magic 'WBSC' missing)")
        }
        guard let version: UInt16 = reader.littleEndian() else {
            throw CodecError(.truncatedInput, compressor: who, "header ends before the format version")
        }
        guard version <= SymbolContainer.formatVersion, version > 0 else {
            throw CodecError(
                .incompatibleStream, compressor: who,
                "format version \(version) is newer than this workbench reads (\(SymbolContainer.formatVersion)); upgrade the workbench")
        }
        guard let specLength: UInt16 = reader.littleEndian(), let specBytes = reader.take(Int(specLength)),
            let alphabet: UInt32 = reader.littleEndian(), let count: UInt64 = reader.littleEndian(),
            let original: UInt64 = reader.littleEndian(), let crc: UInt32 = reader.littleEndian()
        else {
            throw CodecError(.truncatedInput, compressor: who, "header is truncated")
        }
        guard let spec = String(validating: specBytes, as: UTF8.self), alphabet >= 2 else {
            throw CodecError(.corruptInput, compressor: who, "header is corrupt (spec or alphabet size)")
        }
        guard count <= UInt64(maxSymbols), original <= UInt64(Int.max / 2) else {
            throw CodecError(.corruptInput, compressor: who, "header announces \(count) symbols / \(original) bytes; refusing")
        }
        let payload = Array(reader.remaining)
        guard payload.count == SymbolPacking.packedByteCount(symbols: Int(count), alphabetSize: Int(alphabet)) else {
            throw CodecError(
                .truncatedInput, compressor: who,
                "payload has \(payload.count) bytes but the header announces \(count) symbols")
        }
        guard CRC32.checksum(payload) == crc else {
            throw CodecError(.corruptInput, compressor: who, "payload checksum mismatch: the file is damaged")
        }
        let symbols = try SymbolPacking.unpack(payload, count: Int(count), alphabetSize: Int(alphabet), compressor: who)
        self.init(spec: spec, alphabetSize: Int(alphabet), symbols: symbols, originalByteCount: Int(original))
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

/// A cursor over bytes that returns nil instead of reading past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func littleEndian<T: FixedWidthInteger>() -> T? {
        guard let raw = take(MemoryLayout<T>.size) else { return nil }
        var value: T = 0
        for (index, byte) in raw.enumerated() { value |= T(byte) << (8 * index) }
        return value
    }

    var remaining: ArraySlice<UInt8> { bytes[offset...] }
}
