import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// Emits one symbol beyond its alphabet: a broken plugin the measurement must catch.
struct OutOfAlphabet: Compressor {
    var descriptor = CompressorDescriptor(id: "broken", displayName: "Broken", alphabetSize: 4)
    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument { EncodedDocument(symbols: [1, 4]) }
    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] { [] }
}

/// Loses the last byte of every document: the round trip check must count it.
struct Lossy: Compressor {
    var descriptor = CompressorDescriptor(id: "lossy", displayName: "Lossy", alphabetSize: 256)
    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument { EncodedDocument(bytes: Array(document.dropLast())) }
    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        try encoded.bytes(compressor: "lossy")
    }
}

@Suite struct MeasurementTests {
    let documents = [
        CorpusDocument(bytes: Array("hello".utf8), source: "d1"),
        CorpusDocument(bytes: [], source: "d2"),
        CorpusDocument(bytes: Array("world!".utf8), source: "d3"),
    ]

    @Test func rateOfTheIdentity() throws {
        let outcome = try RateMeasurement(passes: 2).run(Identity(), on: documents)
        #expect(outcome.rate.rawBytes == 11)
        #expect(outcome.rate.symbols == 11)
        #expect(outcome.rate.bytesPerSymbol == 1)
        #expect(outcome.rate.bitsPerRawByte == 8)
        #expect(outcome.rate.serializedBytes == 11)
        #expect(outcome.roundTrip == RoundTripRecord(documents: 3, failures: 0, firstFailure: nil))
        #expect(outcome.speed.passes == 2)
    }

    @Test func timedPhasesAfterTheFirstEncodingUseFreshInstances() throws {
        final class Built: @unchecked Sendable { var count = 0 }
        let built = Built()
        let outcome = try RateMeasurement(
            passes: 3,
            freshInstance: {
                built.count += 1; return Identity()
            }
        ).run(Identity(), on: documents)
        // Pass 1's decode, then each further pass's encode and decode.
        #expect(built.count == 1 + 2 * 2)
        #expect(outcome.roundTrip.failures == 0)
    }

    @Test func symbolOutsideTheAlphabetFailsTheRow() {
        let error = #expect(throws: CodecError.self) { try RateMeasurement().run(OutOfAlphabet(), on: documents) }
        #expect(error?.kind == .symbolOutOfRange)
        #expect(error?.message.hasPrefix("d1: symbol 4 at index 1") == true)
    }

    @Test func brokenRoundTripsAreCountedAndNamed() throws {
        let outcome = try RateMeasurement(passes: 1).run(Lossy(), on: documents)
        #expect(outcome.roundTrip.failures == 2)
        #expect(outcome.roundTrip.firstFailure == "d1: decoded bytes differ from the original")
    }

    @Test func rateRecordDerivations() {
        let rate = RateRecord(rawBytes: 1000, symbols: 250, alphabetSize: 4096, serializedBytes: 375)
        #expect(rate.bytesPerSymbol == 4)
        #expect(rate.bitsPerRawByte == 3)
        #expect(rate.serializedBitsPerRawByte == 3)
        #expect(rate.compressionRatio == 1000.0 / 375.0)
        let empty = RateRecord(rawBytes: 0, symbols: 0, alphabetSize: 256, serializedBytes: 0)
        #expect(empty.bytesPerSymbol == nil && empty.bitsPerRawByte == nil && empty.compressionRatio == nil)
    }

    @Test func runDirectoryRefusesAnExistingRun() throws {
        let path = try TestEnvironment.temporaryDirectory()
        try RunDirectory(path: path).prepare(force: false)
        try "{}".write(toFile: path + "/results.json", atomically: true, encoding: .utf8)
        let error = #expect(throws: WorkbenchError.self) { try RunDirectory(path: path).prepare(force: false) }
        #expect(error?.message.contains("already holds a run (results.json)") == true)
        try RunDirectory(path: path).prepare(force: true)
    }

    @Test func resultsOfAnotherSchemaAreRefused() {
        let data = Data(#"{"schema": "workbench.results/9"}"#.utf8)
        let error = #expect(throws: WorkbenchError.self) { try ResultsFile.decode(data, path: "r.json") }
        #expect(error?.message.hasPrefix("'r.json' has schema 'workbench.results/9'") == true)
    }
}
