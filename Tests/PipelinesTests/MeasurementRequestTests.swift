import Foundation
import Pipelines
import Testing
import WorkbenchCore

/// The protocol between `compare` and its measuring children.
@Suite struct MeasurementRequestTests {
    @Test func aRequestCrossesTheProcessBoundaryUnchanged() throws {
        let request = MeasurementRequest(
            spec: try CompressorSpec(parsing: "zstd:level=3"), corpusPath: "/c.jsonl",
            readOptions: .init(textField: "content", skipBadLines: true, glob: "*.py"),
            corpusSHA256: String(repeating: "a", count: 64),
            split: .valid, passes: 2, statistics: .init(stabilityDocuments: 3, stabilityMaxBytes: 100, seed: 7),
            runDirectory: "/run", resultPath: "/run/stages/00-zstd.json")
        let arguments = try request.childArguments()
        #expect(arguments.count == 3 && arguments[0] == MeasurementRequest.subcommand && arguments[1] == "--request")
        #expect(try MeasurementRequest(json: arguments[2]) == request)
    }

    @Test func aRequestFromAnotherVersionIsRefusedClearly() {
        let error = #expect(throws: WorkbenchError.self) { try MeasurementRequest(json: "{\"spec\": 3}") }
        #expect(error?.message.hasPrefix("not a measurement request") == true)
    }
}
