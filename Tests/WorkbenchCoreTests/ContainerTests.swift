import Testing
import WorkbenchCore

@Suite struct SymbolPackingTests {
    @Test(arguments: [2, 3, 4, 16, 255, 256, 257, 4096, 65_536, 65_792, 1 << 20])
    func roundTripsRandomSymbols(alphabet: Int) throws {
        let seed = UInt64(alphabet) &* 2654435761
        print("SymbolPacking seed \(seed)")
        var generator = SplitMix64(seed: seed)
        for count in [0, 1, 7, 8, 9, 1000] {
            let symbols = (0..<count).map { _ in UInt32.random(in: 0..<UInt32(alphabet), using: &generator) }
            let packed = SymbolPacking.pack(symbols, alphabetSize: alphabet)
            #expect(packed.count == SymbolPacking.packedByteCount(symbols: count, alphabetSize: alphabet))
            #expect(try SymbolPacking.unpack(packed, count: count, alphabetSize: alphabet, compressor: "t") == symbols)
        }
    }

    @Test func bitsPerSymbol() {
        #expect(SymbolPacking.bitsPerSymbol(alphabetSize: 2) == 1)
        #expect(SymbolPacking.bitsPerSymbol(alphabetSize: 256) == 8)
        #expect(SymbolPacking.bitsPerSymbol(alphabetSize: 257) == 9)
        #expect(SymbolPacking.bitsPerSymbol(alphabetSize: 65_536) == 16)
        #expect(SymbolPacking.bitsPerSymbol(alphabetSize: 65_792) == 17)
    }

    @Test func nonZeroPaddingIsCorrupt() {
        // 3 symbols of 3 bits = 9 bits -> 2 bytes; set a padding bit.
        #expect(throws: CodecError.self) {
            try SymbolPacking.unpack([0, 0b1000_0000], count: 3, alphabetSize: 8, compressor: "t")
        }
    }
}

@Suite struct SymbolContainerTests {
    let container = SymbolContainer(
        spec: "bytepairs", alphabetSize: 65_792, symbols: [1, 65_535, 65_536 + 7], originalByteCount: 5)

    @Test func roundTrips() throws {
        #expect(try SymbolContainer(parsing: container.serialized()) == container)
    }

    @Test func everySingleBitFlipIsDetected() {
        let bytes = container.serialized()
        for bit in 0..<(bytes.count * 8) {
            var damaged = bytes
            damaged[bit / 8] ^= UInt8(1 << (bit % 8))
            #expect(throws: CodecError.self, "bit \(bit)") { try SymbolContainer(parsing: damaged) }
        }
    }

    @Test func everyTruncationIsDetected() {
        let bytes = container.serialized()
        for length in 0..<bytes.count {
            #expect(throws: CodecError.self, "length \(length)") { try SymbolContainer(parsing: Array(bytes.prefix(length))) }
        }
    }

    @Test func newerFormatVersionIsRefusedWithItsReason() {
        var bytes = container.serialized()
        bytes[4] = 2
        let error = #expect(throws: CodecError.self) { try SymbolContainer(parsing: bytes) }
        #expect(error?.kind == .incompatibleStream)
        #expect(error?.message.contains("newer") == true)
    }
}
