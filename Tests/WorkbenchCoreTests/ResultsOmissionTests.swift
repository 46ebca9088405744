import Foundation
import Testing
import WorkbenchCore

/// results.json leaves `error` and `first_failure` out of a row where nothing failed (README,
/// "results.json"), and writes them where something did.
@Suite struct ResultsOmissionTests {
    func keys(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func successfulRowsOmitErrorAndFirstFailure() throws {
        let ok = CompressorResult(
            id: "zstd", spec: CompressorSpec(id: "zstd", options: ["level": "19"]), descriptor: nil, status: .ok,
            roundTrip: RoundTripRecord(documents: 3, failures: 0, firstFailure: nil))
        let row = try keys(ok)
        #expect(row["error"] == nil)
        #expect((row["round_trip"] as? [String: Any])?.keys.contains("first_failure") == false)
        let failed = CompressorResult(
            id: "zstd", spec: CompressorSpec(id: "zstd", options: ["level": "19"]), descriptor: nil, status: .failed,
            error: "broke",
            roundTrip: RoundTripRecord(documents: 3, failures: 1, firstFailure: "c.jsonl:2: differs"))
        let failedRow = try keys(failed)
        #expect(failedRow["error"] as? String == "broke")
        #expect((failedRow["round_trip"] as? [String: Any])?["first_failure"] as? String == "c.jsonl:2: differs")
    }
}
