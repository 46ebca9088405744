import Foundation

/// How much a compressor shrinks the measured split.
public struct RateRecord: Sendable, Codable, Equatable {
    /// Raw bytes encoded.
    public var rawBytes: Int
    /// Symbols produced, all documents together.
    public var symbols: Int
    /// The compressor's alphabet size.
    public var alphabetSize: Int
    /// rawBytes / symbols: how many raw bytes one model position stands for (nil for 0 symbols).
    public var bytesPerSymbol: Double?
    /// symbols x log2(alphabetSize) / rawBytes: information-theoretic size of the symbol stream.
    public var bitsPerRawByte: Double?
    /// Bytes when each document's symbols are packed at ceil(log2(alphabet)) bits (for
    /// byte-valued compressors, their native output size).
    public var serializedBytes: Int
    /// serializedBytes x 8 / rawBytes.
    public var serializedBitsPerRawByte: Double?
    /// rawBytes / serializedBytes.
    public var compressionRatio: Double?

    /// Computes the derived fields from counts.
    public init(rawBytes: Int, symbols: Int, alphabetSize: Int, serializedBytes: Int) {
        self.rawBytes = rawBytes
        self.symbols = symbols
        self.alphabetSize = alphabetSize
        self.serializedBytes = serializedBytes
        self.bytesPerSymbol = symbols > 0 ? Double(rawBytes) / Double(symbols) : nil
        self.bitsPerRawByte = rawBytes > 0 ? Double(symbols) * log2(Double(alphabetSize)) / Double(rawBytes) : nil
        self.serializedBitsPerRawByte = rawBytes > 0 ? Double(serializedBytes) * 8 / Double(rawBytes) : nil
        self.compressionRatio = serializedBytes > 0 ? Double(rawBytes) / Double(serializedBytes) : nil
    }

    enum CodingKeys: String, CodingKey {
        case rawBytes = "raw_bytes", symbols, alphabetSize = "alphabet_size", bytesPerSymbol = "bytes_per_symbol"
        case bitsPerRawByte = "bits_per_raw_byte", serializedBytes = "serialized_bytes"
        case serializedBitsPerRawByte = "serialized_bits_per_raw_byte", compressionRatio = "compression_ratio"
    }
}
