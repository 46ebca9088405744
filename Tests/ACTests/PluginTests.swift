import Foundation
import NeuralEngine
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@testable import ACPlugin

/// A tiny M1 trained once per test process on a few documents of the shipped corpus.
enum TinyModel {
    static var corpus: Corpus? { TestEnvironment.shippedCorpus }

    static func documents(_ split: CorpusSplit, _ count: Int) -> [[UInt8]] {
        guard let corpus else { return [Array("print('corpus missing')\n".utf8)] }
        return Array(corpus.documents(in: split).prefix(count).map(\.bytes))
    }

    /// (directory, model), trained with the trainer the registry row exposes.
    static let trained: (String, M1Model)? = {
        let directory = NSTemporaryDirectory() + "ac-tests-\(getpid())-tiny"
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard let trainer = ACPlugin.entry.trainer,
            let options = try? ResolvedOptions(["steps": "20"], specs: ACPlugin.options, compressor: "ac"),
            let result = try? trainer.train(options, documents(.train, 20), directory, { _ in }),
            result["model"] == directory,
            let model = try? M1Model.load(directory: directory)
        else { return nil }
        return (directory, model)
    }()

    static func compressor(_ options: [String: String]) throws -> ACCompressor {
        let (directory, _) = try #require(trained)
        var given = options
        given["model"] = directory
        let resolved = try ResolvedOptions(given, specs: ACPlugin.options, compressor: "ac")
        return try ACPlugin.makeCompressor(resolved, context: .withoutCorpus)
    }
}

@Suite struct PluginTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("valid document", Array(TinyModel.documents(.valid, 1)[0].prefix(1500))),
        ("random binary", randomBytes(700, seed: 21)),
        ("invalid UTF-8", [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xed, 0xa0, 0x80]),
    ]

    @Test(arguments: [
        ["window": "16"], ["window": "0"], ["window": "16", "context": "segment"], ["window": "24", "raw": "tail"],
        ["window": "16", "segment": "entropy", "context": "segment"],
    ])
    func trainedModelRoundTrips(_ options: [String: String]) throws {
        let compressor = try TinyModel.compressor(options)
        for (name, input) in Self.inputs {
            let encoded = try compressor.encode(input)
            #expect(encoded.firstSymbol(notBelow: compressor.descriptor.alphabetSize) == nil)
            #expect(try compressor.decode(encoded, maxOutputBytes: input.count) == input, "\(options) \(name)")
        }
    }

    @Test func compressesRealText() throws {
        let document = Array(TinyModel.documents(.valid, 1)[0].prefix(3000))
        let plain = try TinyModel.compressor(["window": "0"]).encode(document)
        let windows = try TinyModel.compressor(["window": "16"]).encode(document)
        print(
            "tiny M1: plain AC \(Double(plain.symbols.count * 8) / Double(document.count)) bits/byte, windows \(Double(document.count) / Double(windows.symbols.count)) bytes/symbol"
        )
        #expect(plain.symbols.count < document.count)
        #expect(windows.symbols.count * 2 < document.count)
    }

    @Test func isDeterministicAcrossThreadCounts() throws {
        let compressor = try TinyModel.compressor(["window": "16"])
        let plain = try TinyModel.compressor(["window": "0"])
        let document = Array(TinyModel.documents(.valid, 2)[1].prefix(2000))
        let original = EngineThreads.count
        defer { EngineThreads.set(original) }
        EngineThreads.set(1)
        let one = try compressor.encode(document)
        let onePlain = try plain.encode(document)
        EngineThreads.set(2)
        #expect(try compressor.encode(document) == one)
        #expect(try plain.encode(document) == onePlain)
        #expect(try compressor.decode(one, maxOutputBytes: document.count) == document)
    }

    @Test func theDescriptorRecordsTheModelHashAndAnotherModelIsRefused() throws {
        let (directory, model) = try #require(TinyModel.trained)
        let compressor = try TinyModel.compressor([:])
        #expect(compressor.descriptor.options["model_hash"] == model.weightsSHA256)
        #expect(compressor.descriptor.alphabetSize == 65_536)
        #expect(compressor.descriptor.givesSpans)
        let wrong = try ResolvedOptions(
            ["model": directory, "model_hash": String(repeating: "0", count: 64)], specs: ACPlugin.options, compressor: "ac")
        let error = #expect(throws: CodecError.self) { try ACPlugin.makeCompressor(wrong, context: .withoutCorpus) }
        #expect(error?.kind == .incompatibleStream)
        let right = try ResolvedOptions(
            ["model": directory, "model_hash": model.weightsSHA256], specs: ACPlugin.options, compressor: "ac")
        _ = try ACPlugin.makeCompressor(right, context: .withoutCorpus)
    }

    @Test func missingOrDamagedModelsAreRefused() throws {
        let missing = try ResolvedOptions(["model": "/nonexistent/ac-model"], specs: ACPlugin.options, compressor: "ac")
        #expect(throws: CodecError.self) { try ACPlugin.makeCompressor(missing, context: .withoutCorpus) }
        // A weights file that does not match its config's hash.
        let (directory, _) = try #require(TinyModel.trained)
        let copy = NSTemporaryDirectory() + "ac-tests-\(getpid())-damaged"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        let weights = copy + "/" + M1Model.weightsFileName
        var bytes = try #require(FileManager.default.contents(atPath: weights))
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: URL(fileURLWithPath: weights))
        let damaged = try ResolvedOptions(["model": copy], specs: ACPlugin.options, compressor: "ac")
        #expect(throws: CodecError.self) { try ACPlugin.makeCompressor(damaged, context: .withoutCorpus) }
        // No corpus and no model: a clear error, not a trap.
        let none = try ResolvedOptions([:], specs: ACPlugin.options, compressor: "ac")
        #expect(throws: (any Error).self) { try ACPlugin.makeCompressor(none, context: .withoutCorpus) }
    }

    @Test(arguments: [
        ["window": "4"], ["window": "12"], ["window": "32", "precision": "16"], ["window": "0", "raw": "tail"],
        ["segment": "entropy", "context": "segment", "raw": "none"], ["segment": "entropy", "entropy_max": "x"],
    ])
    func refusesImpossibleOptions(_ options: [String: String]) throws {
        let resolved = try ResolvedOptions(options, specs: ACPlugin.options, compressor: "ac")
        #expect(throws: WorkbenchError.self) { try ACPlugin.codingSettings(resolved) }
    }

    @Test func optionsOutsideTheirDomainAreRefused() {
        #expect(throws: WorkbenchError.self) { try ResolvedOptions(["window": "33"], specs: ACPlugin.options, compressor: "ac") }
        #expect(throws: WorkbenchError.self) {
            try ResolvedOptions(["precision": "9"], specs: ACPlugin.options, compressor: "ac")
        }
        #expect(throws: WorkbenchError.self) {
            try ResolvedOptions(["context": "doc"], specs: ACPlugin.options, compressor: "ac")
        }
    }

    @Test func corruptStreamsFromTheTrainedModelNeverTrap() throws {
        let document = Array(TinyModel.documents(.valid, 1)[0].prefix(1500))
        for options in [["window": "16"], ["window": "0"]] {
            let compressor = try TinyModel.compressor(options)
            let encoded = try compressor.encode(document)
            var generator = SplitMix64(seed: 5)
            for trial in 0..<12 {
                var symbols = encoded.symbols
                if trial % 2 == 0 {
                    symbols = Array(symbols.prefix(symbols.count / 2))
                } else {
                    let index = Int.random(in: 0..<symbols.count, using: &generator)
                    symbols[index] ^= 1 << UInt32.random(in: 0..<8, using: &generator)
                }
                do {
                    let output = try compressor.decode(EncodedDocument(symbols: symbols), maxOutputBytes: document.count * 2)
                    #expect(output.count <= document.count * 2)
                } catch {
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }
}
