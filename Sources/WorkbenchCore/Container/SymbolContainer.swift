/// The self-describing file `workbench compress` writes and `workbench decompress` reads.
///
/// Layout (little-endian), format version 2:
/// ```
/// 0   4  magic "WBSC"
/// 4   2  format version (2)
/// 6   2  spec length S
/// 8   S  canonical compressor spec, UTF-8 (`zstd:level=19`)
/// .   8  alphabet size, 2 ... 2^32 (version 1: 4 bytes, so 2^32 could not be stored)
/// .   8  symbol count N
/// .   8  original byte count (the decode bound)
/// .   *  N symbols packed at ceil(log2(alphabet)) bits, LSB first (SymbolPacking)
/// end 4  CRC-32 of every byte before it
/// ```
/// The CRC covers the header too, so any single flipped bit anywhere is detected (CRC-32 catches
/// every single-bit error), not only flips in the payload. Version 1 files (4-byte alphabet) are
/// still read. Spans are not stored: they are derived data, and `workbench encode` exports them.
public struct SymbolContainer: Sendable, Equatable {
    /// The four magic bytes.
    public static let magic: [UInt8] = Array("WBSC".utf8)
    /// The format version this code writes and the newest it reads.
    public static let formatVersion: UInt16 = 2
    /// The largest alphabet a container holds: symbols are `UInt32`, so 2^32 values.
    public static let maxAlphabetSize = 1 << 32

    /// The canonical spec of the compressor that made it.
    public var spec: String
    /// The compressor's alphabet size.
    public var alphabetSize: Int
    /// The symbols.
    public var symbols: [UInt32]
    /// Length of the original document, used as the decode bound.
    public var originalByteCount: Int

    /// Creates a container.
    /// - Throws: `CodecError` when the alphabet is outside 2 ... 2^32, a symbol is not below it,
    ///   or the spec is longer than the header's 65,535 bytes: such a container could not be read
    ///   back, so it is refused before anything is written.
    public init(spec: String, alphabetSize: Int, symbols: [UInt32], originalByteCount: Int) throws(CodecError) {
        guard alphabetSize >= 2, alphabetSize <= SymbolContainer.maxAlphabetSize else {
            throw CodecError(
                .symbolOutOfRange, compressor: spec,
                "alphabet size \(alphabetSize) cannot be stored in a container (it holds alphabets of 2 to 2^32 symbols); choose options with a smaller alphabet"
            )
        }
        if let bad = symbols.firstIndex(where: { Int($0) >= alphabetSize }) {
            throw CodecError(
                .symbolOutOfRange, compressor: spec,
                "symbol \(symbols[bad]) at index \(bad) is not below the alphabet size \(alphabetSize); the compressor is broken")
        }
        guard spec.utf8.count <= Int(UInt16.max) else {
            throw CodecError(.incompatibleStream, compressor: spec, "the spec is longer than a container's 65,535 bytes")
        }
        guard originalByteCount >= 0 else {
            throw CodecError(.corruptInput, compressor: spec, "negative original length \(originalByteCount)")
        }
        self.spec = spec
        self.alphabetSize = alphabetSize
        self.symbols = symbols
        self.originalByteCount = originalByteCount
    }

    /// The serialized bytes (format version 2).
    public func serialized() -> [UInt8] {
        let payload = SymbolPacking.pack(symbols, alphabetSize: alphabetSize)
        var out = SymbolContainer.magic
        let specBytes = Array(spec.utf8)
        out.appendLittleEndian(SymbolContainer.formatVersion)
        out.appendLittleEndian(UInt16(truncatingIfNeeded: specBytes.count))
        out.append(contentsOf: specBytes)
        out.appendLittleEndian(UInt64(alphabetSize))
        out.appendLittleEndian(UInt64(symbols.count))
        out.appendLittleEndian(UInt64(originalByteCount))
        out.append(contentsOf: payload)
        out.appendLittleEndian(CRC32.checksum(out))
        return out
    }

    /// Parses and checks a container (format version 1 or 2).
    /// - Parameter maxSymbols: refuse containers announcing more symbols than this (memory guard).
    /// - Throws: `CodecError` for a wrong magic, a version this build does not read, truncation,
    ///   a checksum mismatch or a header that contradicts its payload.
    public init(parsing bytes: [UInt8], maxSymbols: Int = 1 << 32) throws(CodecError) {
        let who = "container"
        guard bytes.count >= 4, Array(bytes[0..<4]) == SymbolContainer.magic else {
            throw CodecError(.corruptInput, compressor: who, "not a workbench container (magic 'WBSC' missing)")
        }
        var reader = ByteReader(bytes: Array(bytes.dropLast(4)))
        _ = reader.take(4)
        guard let version: UInt16 = reader.littleEndian() else {
            throw CodecError(.truncatedInput, compressor: who, "header ends before the format version")
        }
        guard version > 0 else {
            throw CodecError(
                .corruptInput, compressor: who,
                "format version 0 was never written (versions start at 1): the container is damaged")
        }
        guard version <= SymbolContainer.formatVersion else {
            throw CodecError(
                .incompatibleStream, compressor: who,
                "format version \(version) is newer than this workbench reads (\(SymbolContainer.formatVersion)); upgrade the workbench"
            )
        }
        guard bytes.count >= 32 else {
            throw CodecError(.truncatedInput, compressor: who, "container is truncated (\(bytes.count) bytes)")
        }
        var trailer = ByteReader(bytes: Array(bytes.suffix(4)))
        guard let crc: UInt32 = trailer.littleEndian(), CRC32.checksum(bytes.dropLast(4)) == crc else {
            throw CodecError(
                .corruptInput, compressor: who,
                "checksum mismatch: the container is damaged or truncated")
        }
        let alphabetField: UInt64?
        guard let specLength: UInt16 = reader.littleEndian(), let specBytes = reader.take(Int(specLength)) else {
            throw CodecError(.corruptInput, compressor: who, "header is inconsistent with its checksum")
        }
        if version == 1 {
            alphabetField = (reader.littleEndian() as UInt32?).map(UInt64.init)
        } else {
            alphabetField = reader.littleEndian()
        }
        guard let alphabet = alphabetField, let count: UInt64 = reader.littleEndian(),
            let original: UInt64 = reader.littleEndian()
        else {
            throw CodecError(.corruptInput, compressor: who, "header is inconsistent with its checksum")
        }
        guard let spec = String(validating: specBytes, as: UTF8.self) else {
            throw CodecError(.corruptInput, compressor: who, "header is corrupt: the spec is not UTF-8")
        }
        guard alphabet >= 2, alphabet <= UInt64(SymbolContainer.maxAlphabetSize) else {
            throw CodecError(
                .corruptInput, compressor: who,
                "header is corrupt: alphabet size \(alphabet) is outside 2 ... 2^32 (made by '\(spec)')")
        }
        guard count <= UInt64(maxSymbols), original <= UInt64(Int.max / 2) else {
            throw CodecError(.corruptInput, compressor: who, "header announces \(count) symbols / \(original) bytes; refusing")
        }
        let payload = Array(reader.remaining)
        let width = SymbolPacking.bitsPerSymbol(alphabetSize: Int(alphabet))
        let expected = SymbolPacking.packedByteCount(symbols: Int(count), alphabetSize: Int(alphabet))
        guard payload.count == expected else {
            throw CodecError(
                .corruptInput, compressor: who,
                "payload has \(payload.count) bytes, but \(count) symbols of \(width) bits (alphabet \(alphabet)) take \(expected): the header's alphabet size or symbol count does not match the payload; the container is damaged"
            )
        }
        let symbols = try SymbolPacking.unpack(payload, count: Int(count), alphabetSize: Int(alphabet), compressor: who)
        if let bad = symbols.firstIndex(where: { UInt64($0) >= alphabet }) {
            throw CodecError(
                .symbolOutOfRange, compressor: who,
                "symbol \(symbols[bad]) at index \(bad) is not below the header's alphabet size \(alphabet): the container is damaged"
            )
        }
        try self.init(spec: spec, alphabetSize: Int(alphabet), symbols: symbols, originalByteCount: Int(original))
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
