import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        var generator = SplitMix64(seed: 7)
        let message = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var hasher = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 7, 300] {
            hasher.update(message[offset..<min(offset + size, message.count)])
            offset = min(offset + size, message.count)
        }
        hasher.update(message[offset...])
        #expect(hasher.finalize() == SHA256.digest(message))
    }

    @Test func millionAs() {
        #expect(
            SHA256.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct CRC32Tests {
    @Test func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }
}

@Suite struct AtomicFileTests {
    @Test func writesAndLeavesNoTemporaryFile() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let path = directory + "/out.json"
        try AtomicFile.write(text: "first", to: path)
        try AtomicFile.write(text: "second", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.json"])
    }

    @Test func unwritableDirectoryIsAClearError() {
        #expect(throws: WorkbenchError.self) {
            try AtomicFile.write(text: "x", to: "/nonexistent-directory/out.json")
        }
    }
}
