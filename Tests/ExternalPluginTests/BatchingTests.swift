import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

/// Requests hold many documents (up to about 1 MiB), wherever the host is handed many: batch
/// calls and the rate measurement `compare` runs. One document per request cost 20,001 process
/// round trips for 20,000 one-line documents.
@Suite(.timeLimit(.minutes(1)))
struct BatchingTests {
    static let shortDocuments: [[UInt8]] = (0..<5000).map { Array("line \($0): x = f(y) + \($0 * 7)\n".utf8) }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func aBatchOfShortDocumentsIsOneRequestEachWay() throws {
        let (compressor, pidFile) = try TestSupport.misbehaving("fine")
        let before = TestSupport.recordedRequests(pidFile).count
        let encoded = compressor.encode(batch: Self.shortDocuments)
        let encodings = try encoded.map { try $0.get() }
        let decoded = compressor.decode(batch: encodings, maxOutputBytes: Self.shortDocuments.map(\.count))
        #expect(try decoded.map { try $0.get() } == Self.shortDocuments)
        let requests = TestSupport.recordedRequests(pidFile).dropFirst(before)
        #expect(requests.map(\.type) == ["encode", "decode"], "\(Array(requests))")
        #expect(requests.map(\.documents) == [5000, 5000])
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func largeBatchesAreCutAtAboutOneMebibyte() throws {
        let (compressor, pidFile) = try TestSupport.misbehaving("fine")
        let before = TestSupport.recordedRequests(pidFile).count
        let documents = (0..<5).map { [UInt8](repeating: UInt8($0), count: 400_000) }
        let results = try compressor.encode(batch: documents).map { try $0.get() }
        #expect(results.map(\.symbolCount) == documents.map(\.count))
        // 400 KB each: two fit in 1 MiB, a third does not.
        #expect(TestSupport.recordedRequests(pidFile).dropFirst(before).map(\.documents) == [2, 2, 1])
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func theRateMeasurementSendsBatchesAndStartsOneProcess() throws {
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        let (compressor, _) = try TestSupport.misbehaving("fine", pidFile: pidFile)
        let documents = Self.shortDocuments.prefix(2000).enumerated().map { CorpusDocument(bytes: $1, source: "short:\($0)") }
        // As `compare` does: a fresh instance for every timed phase.
        let measurement = RateMeasurement(
            passes: 3,
            freshInstance: {
                try TestSupport.misbehaving("fine", pidFile: pidFile).compressor
            })
        let outcome = try measurement.run(compressor, on: Array(documents))
        #expect(outcome.roundTrip.failures == 0 && outcome.roundTrip.documents == 2000)
        let requests = TestSupport.recordedRequests(pidFile)
        // The self-test's two, then one encode and one decode per pass (2000 short documents fit
        // in one measurement batch), not one per document.
        #expect(requests.count == 2 + 2 * 3, "\(requests.count) requests: \(requests.prefix(10))")
        #expect(TestSupport.recordedPIDs(pidFile).count == 1, "one process, one handshake, one self-test")
    }
}
