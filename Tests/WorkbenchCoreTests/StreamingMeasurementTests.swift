import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// `compare`'s rate and statistics stages over a streamed split: the same numbers as over the
/// documents in memory, with every document seen once, in order, and nothing kept.
@Suite struct StreamingMeasurementTests {
    /// Regroups bytes in pairs and says which pair each symbol covers: collisions are
    /// impossible, symbol usage is not uniform.
    struct Pairs: Compressor {
        var descriptor = CompressorDescriptor(id: "pairs", displayName: "Pairs", alphabetSize: 65_536, givesSpans: true)
        func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
            var symbols: [UInt32] = []
            var spans: [SymbolSpan] = []
            for start in stride(from: 0, to: document.count, by: 2) {
                let end = min(start + 2, document.count)
                symbols.append(UInt32(document[start]) << 8 | UInt32(end - start == 2 ? document[start + 1] : 0))
                spans.append(SymbolSpan(symbols: symbols.count - 1..<symbols.count, bytes: start..<end))
            }
            return EncodedDocument(symbols: symbols, spans: spans)
        }
        func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
            var bytes: [UInt8] = []
            for symbol in encoded.symbols { bytes += [UInt8(symbol >> 8), UInt8(symbol & 0xff)] }
            return Array(bytes.prefix(maxOutputBytes))
        }
    }

    func corpus(_ texts: [String]) throws -> String {
        let path = try TestEnvironment.temporaryDirectory() + "/corpus.jsonl"
        let lines = texts.map { text -> String in
            let data = try! JSONSerialization.data(withJSONObject: ["text": text])
            return String(decoding: data, as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aStreamedSplitGivesTheNumbersOfTheSplitInMemory() throws {
        // About 650 KB: three measurement batches.
        let texts = (0..<60).map { String(repeating: "def f\($0)(x):\n    return x * \($0) + \($0 % 7)\n", count: 320) }
        let path = try corpus(texts)
        let all = try Corpus.load(path: path).documents(in: .all)
        let split = try StreamedSplit(CorpusStream(path: path), split: .all)
        #expect(split.documentCount == 60)
        #expect(split.byteCount > 2 * RateMeasurement.batchBytes)
        #expect(split.byteCount == all.reduce(0) { $0 + $1.bytes.count })

        var seen: [String] = []
        var counter = SymbolUsage.Counter(alphabetSize: 65_536)
        var collisions = CollisionStatistics.Counter()
        let streamed = try RateMeasurement(passes: 2).run(Pairs(), on: split) { document, encoded in
            seen.append(document.source)
            counter.add(encoded.symbols)
            collisions.add(document.bytes, encoded)
        }
        let inMemory = try RateMeasurement(passes: 1).run(Pairs(), on: all)
        #expect(seen == all.map(\.source), "the first pass observes each document once, in corpus order")
        #expect(streamed.rate == inMemory.rate)
        #expect(streamed.roundTrip == RoundTripRecord(documents: 60, failures: 0, firstFailure: nil))
        #expect(streamed.speed.passes == 2)

        let encodings = try all.map { try Pairs().encode($0.bytes) }
        #expect(counter.usage == SymbolUsage(encodings: encodings.map(\.symbols), alphabetSize: 65_536))
        #expect(collisions.statistics() == CollisionStatistics(documents: all.map(\.bytes), encodings: encodings))
        #expect(collisions.statistics().valuesSeen > 0)
    }

    @Test func aRoundTripFailureIsCountedOnceAcrossPasses() throws {
        let split = try StreamedSplit(CorpusStream(path: try corpus(["abc", "abcd", "x"])), split: .all)
        // Pairs pads an odd document with a zero byte, then cuts it at the bound: all round-trip.
        #expect(try RateMeasurement(passes: 3).run(Pairs(), on: split).roundTrip.failures == 0)
        let lossy = try RateMeasurement(passes: 3).run(Lossy(), on: split)
        #expect(lossy.roundTrip.failures == 3)
        #expect(lossy.roundTrip.firstFailure?.hasSuffix(":1: decoded bytes differ from the original") == true)
    }

    @Test func aCorpusThatBreaksMidStreamFailsTheMeasurementNamingTheLine() throws {
        let path = try corpus(["fine"])
        try ("{\"text\": \"ok\"}\n{broken\n").write(toFile: path, atomically: true, encoding: .utf8)
        let stream = try CorpusStream(path: path)
        let error = #expect(throws: WorkbenchError.self) { try StreamedSplit(stream, split: .all) }
        #expect(error?.message.contains("\(path):2") == true)
    }

    /// Fails documents 7 and 33 (by their first byte) and counts decodes, over 50 documents of
    /// 20 KiB: five measurement batches, so a failure's index must carry across batches.
    final class FailsTwo: Compressor, @unchecked Sendable {
        var descriptor = CompressorDescriptor(id: "fails-two", displayName: "Fails two", alphabetSize: 256)
        var decodes: [UInt8: Int] = [:]
        func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument { EncodedDocument(bytes: document) }
        func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
            let bytes = try encoded.bytes(compressor: "fails-two")
            decodes[bytes[0], default: 0] += 1
            return bytes[0] == 7 || bytes[0] == 33 ? Array(bytes.dropLast()) : bytes
        }
    }

    @Test func documentsThatFailedAreLeftOutOfLaterTimedPassesAcrossBatches() throws {
        let documents = (0..<50).map { CorpusDocument(bytes: [UInt8](repeating: UInt8($0), count: 20 << 10), source: "d\($0)") }
        let compressor = FailsTwo()
        let outcome = try RateMeasurement(passes: 3, freshInstance: { compressor }).run(compressor, on: documents)
        #expect(outcome.roundTrip.failures == 2)
        #expect(outcome.roundTrip.firstFailure == "d7: decoded bytes differ from the original")
        // Pass 1 decodes everything; passes 2 and 3 skip the two failures.
        let decodes = (0..<50).map { compressor.decodes[UInt8($0), default: 0] }
        let expected = (0..<50).map { $0 == 7 || $0 == 33 ? 1 : 3 }
        #expect(decodes == expected)
    }

    /// A source that breaks after some documents (a file that turns unreadable mid-run).
    struct BreaksAfter: DocumentSource {
        let documents: [CorpusDocument]
        let good: Int
        var documentCount: Int { documents.count }
        func forEachDocument(_ body: (CorpusDocument) throws -> Void) throws {
            for (index, document) in documents.enumerated() {
                if index == good { throw WorkbenchError("corpus.jsonl:\(index + 1): not valid JSON") }
                try body(document)
            }
        }
    }

    @Test func aSourceThatBreaksMidMeasurementFailsItWithTheSourcesError() {
        let documents = (0..<5).map { CorpusDocument(bytes: Array("doc \($0)".utf8), source: "d\($0)") }
        let error = #expect(throws: WorkbenchError.self) {
            try RateMeasurement(passes: 1).run(Pairs(), on: BreaksAfter(documents: documents, good: 3))
        }
        #expect(error?.message == "corpus.jsonl:4: not valid JSON")
    }

    @Test func countersAddUpInAnyBatching() {
        let encodings: [[UInt32]] = [[1, 2, 2], [], [3, 3, 3, 1], [7]]
        var counter = SymbolUsage.Counter(alphabetSize: 8)
        for symbols in encodings { counter.add(symbols) }
        let whole = SymbolUsage(encodings: [encodings.flatMap { $0 }], alphabetSize: 8)
        #expect(counter.usage == whole)
        #expect(whole.valuesUsed == 4 && whole.symbols == 8)
        // An alphabet too large for a dense table counts the same.
        var sparse = SymbolUsage.Counter(alphabetSize: 1 << 32)
        for symbols in encodings { sparse.add(symbols) }
        #expect(sparse.usage.valuesUsed == 4 && sparse.usage.entropyBits == whole.entropyBits)
    }

    @Test func theSamplerKeepsEverythingWhenTheStreamIsShort() {
        var sampler = Stability.Sampler(count: 5, maxBytes: 2, seed: 1)
        for byte in UInt8(0)..<3 { sampler.offer([byte, byte, byte]) }
        #expect(sampler.sample == [[0, 0], [1, 1], [2, 2]])
    }

    /// Each of 10 documents should be chosen with probability 3/10: over 3,000 seeds, 900 times.
    /// A sampler that favoured the first or the last documents would land far outside.
    @Test func theSamplerChoosesUniformly() {
        var chosen = [Int](repeating: 0, count: 10)
        for seed in 0..<3000 {
            var sampler = Stability.Sampler(count: 3, maxBytes: 1, seed: UInt64(seed))
            for index in 0..<10 { sampler.offer([UInt8(index)]) }
            for document in sampler.sample { chosen[Int(document[0])] += 1 }
        }
        #expect(chosen.allSatisfy { (780...1020).contains($0) }, "\(chosen)")
    }
}
