import Testing
import WorkbenchCore

@testable import ExternalPluginHost

/// The wire format's building blocks, without a process: frames, symbol widths, the stderr
/// tail, request chunking, exit statuses.
@Suite struct FramingTests {
    @Test func framesRoundTripAndRefuseGarbageLengths() throws {
        var header = ProtocolHeader(type: "encode", id: 7)
        header.lengths = [3, 0, 2]
        let bytes = Frame.encode(header, payload: [1, 2, 3, 4, 5])
        guard case .frame(let headerBytes, let payloadBytes) = try Frame.decodeLengths(bytes) else {
            Issue.record("lengths not read")
            return
        }
        #expect(payloadBytes == 5 && bytes.count == 8 + headerBytes + payloadBytes)
        let frame = try Frame.decode(bytes, headerBytes: headerBytes)
        #expect(frame.header == header && frame.payload == [1, 2, 3, 4, 5])
        guard case .incomplete = try Frame.decodeLengths(Array(bytes.prefix(7))) else {
            Issue.record("a 7-byte prefix is incomplete")
            return
        }
        #expect(throws: ProtocolViolation.self) { try Frame.decodeLengths(Array("garbage!".utf8)) }
        #expect(throws: ProtocolViolation.self) { try Frame.decodeLengths([0, 0, 0, 0, 0, 0, 0, 0]) }
        #expect(throws: ProtocolViolation.self) { try Frame.decodeLengths([2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]) }
        let notJSON: [UInt8] = [3, 0, 0, 0, 0, 0, 0, 0] + Array("{{{".utf8)
        #expect(throws: ProtocolViolation.self) { try Frame.decode(notJSON, headerBytes: 3) }
        let noType: [UInt8] = [2, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8)
        #expect(throws: ProtocolViolation.self) { try Frame.decode(noType, headerBytes: 2) }
    }

    @Test func headersWriteEveryNumberExactly() throws {
        // Every digit count, both signs, and the ends of Int: the writer sizes each number itself.
        let values = [0, 7, 9, 10, 99, 100, 12_345, 1_000_000_007, -1, -10, Int.max, Int.min]
        var header = ProtocolHeader(type: "decode", id: 1_000)
        header.counts = values
        header.maxOutputBytes = []
        let text = String(decoding: header.json, as: UTF8.self)
        let counts = values.map(String.init).joined(separator: ",")
        #expect(text == #"{"type":"decode","id":1000,"counts":["# + counts + #"],"max_output_bytes":[]}"#)
        // Int.min has no Int magnitude, so a header without it must read back as written.
        header.counts = Array(values.dropLast())
        #expect(try ProtocolHeader(json: header.json) == header)
    }

    @Test func symbolWidthsFollowTheAlphabet() {
        #expect(SymbolWidth(alphabetSize: 2) == .one)
        #expect(SymbolWidth(alphabetSize: 256) == .one)
        #expect(SymbolWidth(alphabetSize: 257) == .two)
        #expect(SymbolWidth(alphabetSize: 65_536) == .two)
        #expect(SymbolWidth(alphabetSize: 65_537) == .four)
        for (width, symbols) in [(SymbolWidth.one, [0, 7, 255]), (.two, [0, 256, 65_535]), (.four, [0, 65_536, UInt32.max])]
            as [(SymbolWidth, [UInt32])]
        {
            var bytes: [UInt8] = [9]
            width.append(symbols, to: &bytes)
            #expect(bytes.count == 1 + symbols.count * width.rawValue)
            #expect(width.read(symbols.count, from: bytes, at: 1) == symbols)
        }
        var little: [UInt8] = []
        SymbolWidth.two.append([0x0102], to: &little)
        #expect(little == [0x02, 0x01])
    }

    @Test func stderrTailKeepsTheEnd() {
        var tail = StderrTail(capacityBytes: 16)
        #expect(tail.text == nil)
        let text = Array("line one\nline two\nthe end\n".utf8)
        text.withUnsafeBufferPointer { tail.append($0) }
        #expect(tail.text == "...ine two\nthe end")
    }

    @Test func requestsAreChunkedBySize() {
        let limit = ExternalCompressor.maxRequestBytes
        #expect(ExternalCompressor.chunks([], count: 0) == [0..<0])
        #expect(ExternalCompressor.chunks([1, 2, 3], count: 3) == [0..<3])
        #expect(ExternalCompressor.chunks([limit, 1, limit / 2, limit / 2], count: 4) == [0..<1, 1..<3, 3..<4])
        #expect(ExternalCompressor.chunks([limit * 2], count: 1) == [0..<1])
    }

    @Test func positionsNameTheCallersDocuments() {
        #expect(BatchPosition(0..<1, of: 1).document(0, size: "3 bytes") == "the document (3 bytes)")
        #expect(BatchPosition(0..<1, of: 1).documents(1) == "the document")
        let chunk = BatchPosition(5..<9, of: 20)
        #expect(chunk.document(1, size: "3 bytes") == "document 6 of 20 in this batch (3 bytes)")
        #expect(chunk.documents(4) == "documents 5..<9 of 20 in this batch")
        // Decoding leaves out encodings refused before sending: the numbers stay the caller's.
        let gapped = BatchPosition(indices: [2, 4], of: 5)
        #expect(gapped.document(1, size: "7 symbols") == "document 4 of 5 in this batch (7 symbols)")
        #expect(gapped.documents(2) == "2 documents from 2 to 4 of 5 in this batch")
        #expect(
            BatchPosition.probes(["the empty document"]).document(0, size: "0 bytes")
                == "the self-test's the empty document (0 bytes)")
    }

    @Test func strictJSONPointsAtTheProblem() {
        func problem(_ text: String) -> String? {
            do {
                try StrictJSON.check(Array(text.utf8))
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem(#"{"a": [1, 2.5e-3, -0, true, false, null, "\u00e9\n"], "b": {}}"#) == nil)
        #expect(problem("[1, 2,]") == "line 1, column 7: expected a value after ',' (a trailing comma is not JSON)")
        #expect(problem("{\"a\": 1,\n}")?.hasPrefix("line 2, column 1: expected a quoted field name after ','") == true)
        #expect(problem(#"{"a": 1, "a": 2}"#) == #"line 1, column 10: field "a" appears twice in one object"#)
        #expect(problem(#"{"a": "x\qy"}"#)?.contains("'\\q' is not a JSON escape") == true)
        #expect(problem("[1] [2]") == "line 1, column 5: unexpected text after the JSON value")
        #expect(problem(String(repeating: "[", count: 300))?.contains("nested more than 256 levels deep") == true)
        #expect(problem("")?.contains("the text ends where a value should be") == true)
    }

    @Test func exitStatusesReadAsSentences() {
        #expect(PluginProcess.describe(status: 3 << 8) == "exited with status 3")
        #expect(PluginProcess.describe(status: 11) == "was killed by signal 11 (SIGSEGV)")
        #expect(PluginProcess.describe(status: 9) == "was killed by signal 9 (SIGKILL)")
    }
}
