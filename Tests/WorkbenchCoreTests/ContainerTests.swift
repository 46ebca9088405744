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
    let container = try! SymbolContainer(
        spec: "bytepairs", alphabetSize: 65_792, symbols: [1, 65_535, 65_536 + 7], originalByteCount: 5)

    /// `bytes` with its trailing CRC-32 recomputed, as a deliberate edit would leave it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var body = Array(bytes.dropLast(4))
        let crc = CRC32.checksum(body)
        body += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
        return body
    }

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

    @Test func appendedGarbageIsDetected() {
        let bytes = container.serialized()
        for extra in [[0], [0, 0, 0, 0], Array("garbage".utf8), bytes] as [[UInt8]] {
            #expect(throws: CodecError.self, "\(extra.count) bytes appended") { try SymbolContainer(parsing: bytes + extra) }
        }
    }

    @Test func newerFormatVersionIsRefusedWithItsReason() {
        var bytes = container.serialized()
        bytes[4] = 3
        let error = #expect(throws: CodecError.self) { try SymbolContainer(parsing: bytes) }
        #expect(error?.kind == .incompatibleStream)
        #expect(error?.message.contains("newer") == true)
    }

    /// Version 0 was never written: the container is damaged, not "newer".
    @Test func versionZeroIsDamageNotNewer() {
        var bytes = container.serialized()
        bytes[4] = 0
        let error = #expect(throws: CodecError.self) { try SymbolContainer(parsing: Self.resealed(bytes)) }
        #expect(error?.message.contains("format version 0 was never written") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("newer") == false)
    }

    /// An alphabet changed in the header (checksum recomputed) says what disagrees with what.
    @Test func aChangedAlphabetSaysThePayloadDoesNotMatchIt() throws {
        let bytes = try SymbolContainer(
            spec: "bytes", alphabetSize: 256, symbols: (0..<100).map { UInt32($0) }, originalByteCount: 100
        ).serialized()
        var edited = bytes
        let alphabetOffset = 8 + "bytes".utf8.count
        edited[alphabetOffset + 1] = 2  // 0x0100 = 256 -> 0x0200 = 512: 9 bits a symbol
        let error = #expect(throws: CodecError.self) { try SymbolContainer(parsing: Self.resealed(edited)) }
        let message = error?.message ?? ""
        #expect(message.contains("payload has 100 bytes, but 100 symbols of 9 bits (alphabet 512) take 113"), "\(message)")
        #expect(message.contains("alphabet size or symbol count does not match"), "\(message)")
    }

    /// Alphabet 2^32 (32-bit windows) is stored and read back; version 1 stored it as 0.
    @Test func anAlphabetOfTwoToThe32RoundTrips() throws {
        let symbols: [UInt32] = [0, .max, 0x1234_5678, 1 << 31]
        let big = try SymbolContainer(spec: "ac:window=32", alphabetSize: 1 << 32, symbols: symbols, originalByteCount: 9)
        let bytes = big.serialized()
        #expect(bytes.count == 4 + 2 + 2 + 12 + 8 + 8 + 8 + 16 + 4)
        #expect(try SymbolContainer(parsing: bytes) == big)
    }

    /// An alphabet a container cannot hold is refused before anything is written.
    @Test func alphabetsBeyondTwoToThe32AreRefusedAtCompressTime() {
        let error = #expect(throws: CodecError.self) {
            try SymbolContainer(spec: "ac:window=32,raw=tail", alphabetSize: (1 << 32) + 256, symbols: [1], originalByteCount: 1)
        }
        #expect(error?.message.contains("cannot be stored in a container") == true)
        #expect(throws: CodecError.self) { try SymbolContainer(spec: "x", alphabetSize: 4, symbols: [4], originalByteCount: 1) }
    }

    /// Containers written before version 2 (a 4-byte alphabet field) still read.
    @Test func versionOneContainersStillRead() throws {
        var bytes: [UInt8] = Array("WBSC".utf8) + [1, 0] + [5, 0] + Array("bytes".utf8)
        bytes += [0, 1, 0, 0]  // alphabet 256 as UInt32
        bytes += [3, 0, 0, 0, 0, 0, 0, 0] + [3, 0, 0, 0, 0, 0, 0, 0] + Array("abc".utf8) + [0, 0, 0, 0]
        let parsed = try SymbolContainer(parsing: Self.resealed(bytes))
        #expect(parsed == (try SymbolContainer(spec: "bytes", alphabetSize: 256, symbols: [97, 98, 99], originalByteCount: 3)))
    }
}
