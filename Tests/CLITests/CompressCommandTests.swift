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
        let compressed = try WorkbenchProcess.run(["compress", "--compressor", "nibbles", "--in", "in.py", "--out", "x.wbsc"], in: directory)
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
