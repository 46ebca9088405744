import Testing
import WorkbenchCore

@testable import ACPlugin

/// Golden cases derived by hand from the format's definition: 9-bit values, value i at stream
/// bits 9i..9i+8 with its bit 0 first, i.e. the bytes of the little-endian integer Σ v_i·2^(9i).
@Suite struct ReferenceExportTests {
    @Test func aSixteenBitWindowIsTwoCompressedBytesBigEndian() throws {
        // Window 0x1234 -> values 256+0x12 = 0x112, 256+0x34 = 0x134.
        let values = try ReferenceExport.nineBitValues([0x1234], windowBits: 16, passesRawBytesThrough: false)
        #expect(values == [0x112, 0x134])
        // 0x112 + 0x134·2^9 = 0x26912 -> bytes 12 69 02 -> base64 "EmkC".
        #expect(ReferenceExport.packNineBit(values) == [0x12, 0x69, 0x02])
        let descriptor = CompressorDescriptor(id: "ac", displayName: "", options: ["window": "16"], alphabetSize: 65_536)
        let field = try ReferenceExport.m1ACField(EncodedDocument(symbols: [0x1234]), descriptor: descriptor)
        #expect(field.name == "m1_ac_ow16")
        #expect(field.value == "EmkC")
    }

    @Test func rawBytesPassThroughAsThemselves() throws {
        // Raw 'A' (0x41), then window 0xABCD (symbol 256 + 0xABCD) -> 0x41, 0x1AB, 0x1CD.
        let values = try ReferenceExport.nineBitValues([0x41, 256 + 0xABCD], windowBits: 16, passesRawBytesThrough: true)
        #expect(values == [0x41, 0x1AB, 0x1CD])
        // 0x41 + 0x1AB·2^9 + 0x1CD·2^18 = 0x7375641 -> 41 56 37 07 -> "QVY3Bw==".
        #expect(ReferenceExport.packNineBit(values) == [0x41, 0x56, 0x37, 0x07])
        let descriptor = CompressorDescriptor(
            id: "ac", displayName: "", options: ["window": "16"], alphabetSize: 65_792, passesRawBytesThrough: true)
        #expect(
            try ReferenceExport.m1ACField(EncodedDocument(symbols: [0x41, 256 + 0xABCD]), descriptor: descriptor).value
                == "QVY3Bw==")
    }

    @Test func plainACBytesAreCompressedBytes() throws {
        // Stream bytes 5, 0 -> values 261, 256 -> 0x105 + 0x100·2^9 = 0x20105 -> 05 01 02 -> "BQEC".
        let descriptor = CompressorDescriptor(id: "ac", displayName: "", options: ["window": "0"], alphabetSize: 256)
        let field = try ReferenceExport.m1ACField(EncodedDocument(symbols: [5, 0]), descriptor: descriptor)
        #expect(field.name == "m1_ac")
        #expect(field.value == "BQEC")
    }

    @Test func oddWindowSizesUseWholeBytesAndEmptyStreamsAreEmpty() throws {
        // A 20-bit window 0xABCDE -> 3 bytes big-endian with the padding in the low bits, as the
        // reference's pack_compressed_spans reads them: 0xAB 0xCD 0xE0.
        #expect(
            try ReferenceExport.nineBitValues([0xABCDE], windowBits: 20, passesRawBytesThrough: false) == [0x1AB, 0x1CD, 0x1E0])
        #expect(ReferenceExport.packNineBit([]) == [])
        let descriptor = CompressorDescriptor(id: "ac", displayName: "", options: ["window": "16"], alphabetSize: 65_536)
        #expect(try ReferenceExport.m1ACField(EncodedDocument(symbols: []), descriptor: descriptor).value == "")
        #expect(throws: CodecError.self) {
            try ReferenceExport.nineBitValues([1 << 16], windowBits: 16, passesRawBytesThrough: false)
        }
    }
}
