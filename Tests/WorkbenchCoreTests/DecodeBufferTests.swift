import Testing
import WorkbenchCore

@Suite struct DecodeBufferTests {
    @Test func growsKeepingContentsAndComparesExactly() {
        let buffer = DecodeBuffer()
        buffer.replace(with: Array("abc".utf8))
        buffer.reserve(1000)
        #expect(buffer.capacity >= 1000)
        #expect(buffer.holds(Array("abc".utf8)))
        #expect(!buffer.holds(Array("abd".utf8)))
        #expect(!buffer.holds(Array("ab".utf8)))
        buffer.replace(with: [])
        #expect(buffer.holds([]) && buffer.array == [])
    }

    @Test func boundedOutputIntoABufferAcceptsExactlyTheLimit() throws {
        let document = (0..<1000).map { UInt8($0 % 251) }
        // A step that hands out the document in whatever windows it is given.
        func decode(limit: Int, hint: Int) throws(CodecError) -> DecodeBuffer {
            var position = 0
            let buffer = DecodeBuffer()
            buffer.replace(with: [UInt8](repeating: 9, count: 5000))
            try BoundedOutput.decode(into: buffer, initialCapacity: hint, limit: limit, compressor: "test") { window, available in
                let n = min(available, document.count - position)
                for i in 0..<n { window[i] = document[position + i] }
                position += n
                return .init(produced: n, finished: position == document.count)
            }
            return buffer
        }
        for hint in [0, 1, 999, 1000, 1001, 4096] {
            #expect(try decode(limit: 1000, hint: hint).holds(document), "hint \(hint)")
        }
        let error = #expect(throws: CodecError.self) { try decode(limit: 999, hint: 10) }
        #expect(error?.kind == .outputLimitExceeded)
    }
}
