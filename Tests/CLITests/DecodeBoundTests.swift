import Foundation
import Testing

/// Decompression bombs and absurd declared sizes stay bounded: a container whose payload
/// expands to 64 MB but declares 1,000 bytes is refused at the bound, and declared sizes of 2^40
/// and 2^62 (the checksum recomputed) never make `decompress` allocate what they claim.
@Suite struct DecodeBoundTests {
    /// The container with its original-length field set to `length` and the CRC recomputed.
    static func declaring(_ length: UInt64, _ container: [UInt8]) -> [UInt8] {
        let specLength = Int(container[6]) | Int(container[7]) << 8
        let field = 8 + specLength + 8 + 8  // after the spec, the alphabet and the symbol count
        var body = Array(container.dropLast(4))
        for k in 0..<8 { body[field + k] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(k))) }
        let crc = crc32(body)
        return body + (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func bombsAndHugeDeclaredSizesStayBounded() throws {
        let directory = try temporaryDirectory()
        let zeros = directory + "/zeros"
        #expect(FileManager.default.createFile(atPath: zeros, contents: Data(count: 64 << 20)))
        for spec in ["zstd:level=3", "gzip:level=1"] {
            let compressed = try WorkbenchProcess.run([
                "compress", "--compressor", spec, "--in", zeros, "--out", directory + "/bomb",
            ])
            #expect(compressed.status == 0, "\(compressed.standardError)")
            let bomb = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/bomb")))
            #expect(bomb.count < 1 << 20)
            for declared: UInt64 in [1000, 1 << 40, 1 << 62] {
                try Data(Self.declaring(declared, bomb)).write(to: URL(fileURLWithPath: directory + "/edited"))
                let outcome = try WorkbenchProcess.runShell(
                    "/usr/bin/time -f 'peak %M' -o time.txt \"$@\" > /dev/null",
                    ["sh", WorkbenchProcess.executable, "decompress", "--in", "edited"], in: directory)
                #expect(outcome.status == 1, "\(spec) declaring \(declared): \(outcome.standardError)")
                let report = try String(contentsOfFile: directory + "/time.txt", encoding: .utf8)
                let kilobytes =
                    report.split(separator: "\n").last { $0.hasPrefix("peak ") }.flatMap { Int($0.dropFirst(5)) } ?? .max
                let bound = declared == 1000 ? 100 << 10 : 445 << 10
                #expect(kilobytes < bound, "\(spec) declaring \(declared): peak \(kilobytes) KB")
            }
        }
    }
}
