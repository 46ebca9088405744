import Foundation
import WorkbenchCore

/// The reference trainer's JSONL field for an `ac` stream (github.com/LZhengisme/proxy-compression):
/// base64 of the stream as 9-bit values packed least-significant-bit first.
///
/// Values: 0..255 are raw bytes passed through; 256 + b is compressed byte b. An equal-info
/// window of B bits is written as ceil(B / 8) compressed bytes, big-endian, the window in the
/// HIGH bits and zero padding in the low bits (B = 16: high byte, then low byte; B = 20: window
/// 0xABCDE as AB CD E0), because the reference's `pack_compressed_spans` reads ceil(B / 8) bytes
/// and shifts the padding out to the right. Plain AC (`window=0`) writes each stream byte (length
/// header included) as a compressed byte. Packing: value i occupies stream bits 9i ..< 9i + 9, its bit 0 first; stream
/// bit j is bit (j mod 8) of byte j / 8; the last byte is padded with zero bits. Base64 is the
/// standard alphabet with `=` padding.
public enum ReferenceExport {
    /// The field name: `m1_ac_ow16` for 16-bit windows, `m1_ac` for plain AC.
    public static func fieldName(windowBits: Int) -> String {
        windowBits == 0 ? "m1_ac" : "m1_ac_ow\(windowBits)"
    }

    /// The field for one encoded document, named and valued as the reference trainer reads it.
    /// - Parameters:
    ///   - encoded: what an `ac` compressor's `encode` returned.
    ///   - descriptor: that compressor's descriptor (window size and raw pass-through).
    /// - Throws: `CodecError` when the descriptor is not an `ac` one or a symbol does not fit it.
    public static func m1ACField(
        _ encoded: EncodedDocument, descriptor: CompressorDescriptor
    ) throws(CodecError) -> (name: String, value: String) {
        guard descriptor.id == ACPlugin.id, let bits = descriptor.options["window"].flatMap({ Int($0) }) else {
            throw CodecError(
                .incompatibleStream, compressor: descriptor.id, "reference export needs an ac descriptor with a window option")
        }
        let values = try nineBitValues(
            encoded.symbols, windowBits: bits, passesRawBytesThrough: descriptor.passesRawBytesThrough)
        return (fieldName(windowBits: bits), Data(packNineBit(values)).base64EncodedString())
    }

    /// The 9-bit values of a stream (see the type's documentation).
    /// - Throws: `CodecError.symbolOutOfRange` for a symbol that is neither a raw byte nor a window.
    public static func nineBitValues(
        _ symbols: [UInt32], windowBits: Int, passesRawBytesThrough: Bool
    ) throws(CodecError) -> [UInt16] {
        var values: [UInt16] = []
        values.reserveCapacity(symbols.count * 2)
        let windowBytes = (windowBits + 7) / 8
        let windowBase: UInt32 = passesRawBytesThrough ? 256 : 0
        for (index, symbol) in symbols.enumerated() {
            if windowBits == 0 {
                guard symbol < 256 else {
                    throw CodecError(.symbolOutOfRange, compressor: ACPlugin.id, "symbol \(symbol) at \(index) is not a byte")
                }
                values.append(256 + UInt16(symbol))
                continue
            }
            if passesRawBytesThrough && symbol < 256 {
                values.append(UInt16(symbol))
                continue
            }
            let window = symbol - windowBase
            guard UInt64(window) < (UInt64(1) << UInt64(windowBits)) else {
                throw CodecError(
                    .symbolOutOfRange, compressor: ACPlugin.id, "symbol \(symbol) at \(index) is not a \(windowBits)-bit window")
            }
            // Subtle: padding goes in the low bits (the reference drops them with a right shift);
            // the window's top bit is the first byte's top bit.
            let aligned = UInt64(window) << UInt64(8 * windowBytes - windowBits)
            for byteIndex in stride(from: windowBytes - 1, through: 0, by: -1) {
                values.append(256 + UInt16((aligned >> UInt64(8 * byteIndex)) & 0xFF))
            }
        }
        return values
    }

    /// Packs 9-bit values least-significant-bit first (values above 511 keep their low 9 bits).
    public static func packNineBit(_ values: [UInt16]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count * 9 + 7) / 8)
        var bit = 0
        for value in values {
            let v = UInt32(value & 0x1FF)
            for k in 0..<9 where (v >> UInt32(k)) & 1 == 1 {
                let position = bit + k
                out[position >> 3] |= UInt8(1) << UInt8(position & 7)
            }
            bit += 9
        }
        return out
    }
}
