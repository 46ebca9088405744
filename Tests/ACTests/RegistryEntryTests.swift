import Foundation
import Testing
import WorkbenchCore

@testable import ACPlugin

/// The registry row as the conformance suite and `compare` use it: built from a small training
/// set without a model option (trains the tiny M1 once per process), for every conformance
/// option set.
@Suite struct RegistryEntryTests {
    static let context: CompressorBuildContext = {
        let training = TinyModel.documents(.train, 40)
        return CompressorBuildContext(trainingDocuments: { training }, trainingCorpusKey: nil, artifactCacheDirectory: nil)
    }()

    @Test(arguments: [[:]] + ACPlugin.conformanceOptions)
    func buildsFromASmallCorpusAndRoundTrips(_ options: [String: String]) throws {
        let resolved = try ResolvedOptions(options, specs: ACPlugin.entry.options, compressor: "ac")
        let compressor = try ACPlugin.entry.make(resolved, Self.context)
        let inputs: [[UInt8]] = [
            [], [0], [255], (0...255).map { UInt8($0) }, [UInt8](repeating: UInt8(ascii: "a"), count: 3000),
            Array(TinyModel.documents(.valid, 1)[0].prefix(1000)),
        ]
        for input in inputs {
            let encoded = try compressor.encode(input)
            #expect(encoded.firstSymbol(notBelow: compressor.descriptor.alphabetSize) == nil)
            #expect(try compressor.decode(encoded, maxOutputBytes: input.count) == input, "\(options) \(input.count) bytes")
            if compressor.descriptor.givesSpans {
                let spans = try #require(encoded.spans)
                #expect(spans.last?.bytes.upperBound ?? 0 == input.count)
                #expect(spans.last?.symbols.upperBound ?? 0 == encoded.symbols.count)
            }
        }
        let bounded = Array("hello, bound".utf8)
        let encoded = try compressor.encode(bounded)
        let error = #expect(throws: CodecError.self) { try compressor.decode(encoded, maxOutputBytes: bounded.count - 1) }
        #expect(error?.kind == .outputLimitExceeded)
    }

    @Test func theCacheDirectoryIsUsedAndRecorded() throws {
        let root = NSTemporaryDirectory() + "ac-tests-\(getpid())-cache"
        try? FileManager.default.removeItem(atPath: root)
        let recorded = RecordedArtifacts()
        let training = TinyModel.documents(.train, 10)
        let context = CompressorBuildContext(
            trainingDocuments: { training }, trainingCorpusKey: "test-corpus", artifactCacheDirectory: root,
            recordArtifact: { id, directory in recorded.add(id, directory) })
        let resolved = try ResolvedOptions(["steps": "5"], specs: ACPlugin.entry.options, compressor: "ac")
        let compressor = try ACPlugin.entry.make(resolved, context)
        let directory = try #require(recorded.all.first?.1)
        #expect(recorded.all.first?.0 == "ac")
        #expect(directory.hasPrefix(root + "/ac/"))
        #expect(FileManager.default.fileExists(atPath: directory + "/model.safetensors"))
        let reloaded = try M1Model.load(directory: directory)
        #expect(reloaded.weightsSHA256 == compressor.descriptor.options["model_hash"])
    }
}

final class RecordedArtifacts: @unchecked Sendable {
    private var items: [(String, String)] = []
    private let lock = NSLock()
    func add(_ id: String, _ directory: String) { lock.withLock { items.append((id, directory)) } }
    var all: [(String, String)] { lock.withLock { items } }
}
