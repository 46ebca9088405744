import Foundation
import Testing

@Suite struct CompressCommandTests {
    let input = Array("def greet(name):\n    return f'hello {name}'\n".utf8)

    @Test func compressThenDecompressThroughPipes() throws {
        let compressed = try WorkbenchProcess.run(["compress", "--compressor", "bytepairs"], input: input)
        #expect(compressed.status == 0, "\(compressed.standardError)")
        #expect(Array(compressed.standardOutput.prefix(4)) == Array("WBSC".utf8))
        let restored = try WorkbenchProcess.run(["decompress", "--compressor", "bytepairs"], input: compressed.standardOutput)
        #expect(restored.status == 0, "\(restored.standardError)")
        #expect(restored.standardOutput == input)
    }

    @Test func filesAreWrittenAndDecompressNeedsNoSpec() throws {
        let directory = try temporaryDirectory()
        try Data(input).write(to: URL(fileURLWithPath: directory + "/in.py"))
        let compressed = try WorkbenchProcess.run(
            ["compress", "--compressor", "nibbles", "--in", "in.py", "--out", "x.wbsc"], in: directory)
        #expect(compressed.status == 0, "\(compressed.standardError)")
        let restored = try WorkbenchProcess.run(["decompress", "--in", "x.wbsc", "--out", "out.py"], in: directory)
        #expect(restored.status == 0, "\(restored.standardError)")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/out.py"))) == input)
    }

    @Test func decompressRefusesAnotherCompressorsContainer() throws {
        let compressed = try WorkbenchProcess.run(["compress", "--compressor", "bytepairs"], input: input)
        let refused = try WorkbenchProcess.run(["decompress", "--compressor", "nibbles"], input: compressed.standardOutput)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("this container was made by 'bytepairs', not 'nibbles'"))
    }

    @Test func damagedContainersAreClearErrors() throws {
        let container = try WorkbenchProcess.run(["compress", "--compressor", "bytes"], input: input).standardOutput
        var flipped = container
        flipped[container.count / 2] ^= 0x10
        var newer = container
        newer[4] = 9
        let cases: [([UInt8], String)] = [
            (Array(container.dropLast(3)), "checksum mismatch"),
            (flipped, "checksum mismatch"),
            (newer, "format version 9 is newer than this workbench reads"),
            (Array("not a container".utf8), "not a workbench container"),
        ]
        for (bytes, message) in cases {
            let outcome = try WorkbenchProcess.run(["decompress"], input: bytes)
            #expect(outcome.status == 1)
            #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty)
        }
    }

    /// 32-bit windows (alphabet 2^32) round-trip through a container; raw tails on 32-bit windows
    /// (2^32 + 256 symbols, which no 32-bit symbol holds) are refused before anything is written.
    @Test func thirtyTwoBitWindowsRoundTripAndWiderAlphabetsAreRefused() throws {
        let model = try WorkbenchProcess.tinyACModel()
        let directory = try temporaryDirectory()
        try Data(input).write(to: URL(fileURLWithPath: directory + "/in.py"))
        let compressed = try WorkbenchProcess.run(
            ["compress", "--compressor", "ac:model=\(model),window=32", "--in", "in.py", "--out", "x.wbsc"], in: directory)
        #expect(compressed.status == 0, "\(compressed.standardError)")
        let restored = try WorkbenchProcess.run(["decompress", "--in", "x.wbsc"], in: directory)
        #expect(restored.status == 0, "\(restored.standardError)")
        #expect(restored.standardOutput == input)
        for spec in ["ac:model=\(model),window=32,segment=entropy", "ac:model=\(model),window=32,raw=tail"] {
            let refused = try WorkbenchProcess.run(
                ["compress", "--compressor", spec, "--in", "in.py", "--out", "y.wbsc"], in: directory)
            #expect(refused.status == 1)
            #expect(
                refused.standardError.contains("needs 2^32 + 256 symbols, more than a 32-bit symbol holds"),
                "\(refused.standardError)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/y.wbsc"))
        }
    }

    /// Header edits that keep the checksum valid get messages that say what is wrong.
    @Test func versionZeroAndAChangedAlphabetAreNamed() throws {
        var container = try WorkbenchProcess.run(["compress", "--compressor", "bytes"], input: input).standardOutput
        func resealed(_ bytes: [UInt8]) -> [UInt8] {
            var body = Array(bytes.dropLast(4))
            let crc = crc32(body)
            body += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
            return body
        }
        var zero = container
        zero[4] = 0
        let version = try WorkbenchProcess.run(["decompress"], input: resealed(zero))
        #expect(version.status == 1)
        #expect(version.standardError.contains("format version 0 was never written"), "\(version.standardError)")
        container[8 + "bytes".utf8.count + 1] = 2  // alphabet 256 -> 512
        let alphabet = try WorkbenchProcess.run(["decompress"], input: resealed(container))
        #expect(alphabet.status == 1)
        #expect(alphabet.standardError.contains("alphabet size or symbol count does not match"), "\(alphabet.standardError)")
    }

    @Test func unknownCompressorListsTheKnownOnes() throws {
        let outcome = try WorkbenchProcess.run(["compress", "--compressor", "lzma"], input: input)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("unknown compressor 'lzma'; known compressors: bytes,"))
    }

    @Test func missingRequiredOptionIsAUsageError() throws {
        let outcome = try WorkbenchProcess.run(["compress"], input: input)
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("--compressor"))
    }

    @Test func encodeWritesSymbolsAndSpansAsJSONLines() throws {
        let directory = try temporaryDirectory()
        try Data("ab\u{1}".utf8).write(to: URL(fileURLWithPath: directory + "/in.txt"))
        let outcome = try WorkbenchProcess.run(["encode", "--compressor", "bytepairs", "--in", "in.txt"], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.text == #"{"source":"in.txt","symbols":[24930,65537],"spans":[[0,1,0,2],[1,2,2,3]]}"# + "\n")
    }
}

/// CRC-32 (zlib's), to reseal an edited container.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
