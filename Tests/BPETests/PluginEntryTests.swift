import BPEPlugin
import Foundation
import Testing
import WorkbenchCore

/// The registry row: options, descriptor, caching, the trainer, and the conformance contract
/// (mirrored here so it runs before the row joins the Builtins table).
@Suite struct PluginEntryTests {
    static let registry = CompressorRegistry([BPEPlugin.entry])
    static let training = Array(BPETestSupport.documents(.train).prefix(40))
    static let context = CompressorBuildContext(
        trainingDocuments: { training }, trainingCorpusKey: nil, artifactCacheDirectory: nil)

    /// Option sets: the defaults and every one the row asks the conformance suite to run.
    static let configurations: [[String: String]] = [[:]] + BPEPlugin.entry.conformanceOptions

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "bpe-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func descriptorShowsVocabularyPreTokenizerAndRepresentation() throws {
        let compressor = try Self.registry.makeCompressor(
            CompressorSpec(id: "bpe", options: ["vocab": "300", "as": "gray"]), context: Self.context)
        let descriptor = compressor.descriptor
        #expect(descriptor.options == ["vocab": "300", "pretokenizer": "gpt2", "as": "gray"])
        #expect(descriptor.alphabetSize == 256)
        #expect(descriptor.givesSpans)
        // The spec in the descriptor rebuilds the same compressor.
        let rebuilt = try Self.registry.makeCompressor(descriptor.spec, context: Self.context)
        #expect(rebuilt.descriptor == descriptor)
    }

    @Test func cachesTheTrainedTokenizerAndRecordsIt() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let recorded = Recorder()
        let counter = Recorder()
        let context = CompressorBuildContext(
            trainingDocuments: {
                counter.add("read")
                return Self.training
            }, trainingCorpusKey: "test-corpus", artifactCacheDirectory: root,
            recordArtifact: { id, directory in recorded.add("\(id) \(directory)") })
        let first = try Self.registry.makeCompressor(CompressorSpec(id: "bpe", options: ["vocab": "400"]), context: context)
        let second = try Self.registry.makeCompressor(
            CompressorSpec(id: "bpe", options: ["vocab": "400", "as": "bytes"]), context: context)
        #expect(counter.values.count == 1, "the second build must reuse the cached tokenizer")
        #expect(recorded.values.count == 2)
        let directory = try #require(recorded.values.first?.split(separator: " ").last.map(String.init))
        #expect(FileManager.default.fileExists(atPath: directory + "/tokenizer.json"))
        #expect(FileManager.default.fileExists(atPath: directory + "/bpe.json"))
        let document = Self.training[0]
        #expect(try second.decode(second.encode(document), maxOutputBytes: document.count) == document)
        #expect(first.descriptor.alphabetSize == 400)
    }

    @Test func trainerWritesALoadableTokenizer() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainer = try #require(BPEPlugin.entry.trainer)
        let options = try ResolvedOptions(["vocab": "500", "pretokenizer": "gpt4"], specs: BPEPlugin.options, compressor: "bpe")
        let spec = try trainer.train(options, Self.training, directory, { _ in })
        #expect(spec == ["tokenizer": directory + "/tokenizer.json"])
        let loaded = try Self.registry.makeCompressor(CompressorSpec(id: "bpe", options: spec))
        #expect(loaded.descriptor.options["pretokenizer"] == "gpt4")
        #expect(loaded.descriptor.options["vocab"] == "500")
        let rebuilt = try Self.registry.makeCompressor(loaded.descriptor.spec)
        #expect(rebuilt.descriptor == loaded.descriptor)
    }

    @Test func refusesTwoByteRepresentationsOfHugeVocabularies() throws {
        let documents = Array(BPETestSupport.documents(.train).prefix(3))
        let model = try BPETrainer(vocabularySize: 300, preTokenizer: .gpt2).train(documents)
        var tokens = model.tokens
        while tokens.count <= 65_536 {
            tokens.append([0, 0, UInt8(tokens.count & 0xFF), UInt8(tokens.count >> 8 & 0xFF), UInt8(tokens.count >> 16)])
        }
        let big = try BPEModel(tokens: tokens, merges: model.merges, byteTokens: model.byteTokens, preTokenizer: .gpt2)
        #expect(throws: WorkbenchError.self) {
            try BPECompressor(tokenizer: BPETokenizer(model: big), representation: .bytes, options: [:])
        }
    }

    // MARK: The conformance contract, on every option set the row declares

    @Test(arguments: configurations)
    func keepsTheConformanceContract(_ options: [String: String]) throws {
        let spec = CompressorSpec(id: "bpe", options: options)
        let compressor = try Self.registry.makeCompressor(spec, context: Self.context)
        var generator = SplitMix64(seed: SplitMix64.seed(from: spec.description) % 1_000_000)
        var inputs: [[UInt8]] = [
            [], [0], [255], (0...255).map { UInt8($0) }, [UInt8](repeating: UInt8(ascii: "a"), count: 100_000),
            [UInt8](repeating: 0, count: 65_536), [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1],
        ]
        inputs += BPETestSupport.documents(.valid).prefix(4)
        for trial in 0..<10 {
            let limit: UInt8 = trial % 2 == 0 ? 255 : 3
            inputs.append(
                (0..<Int.random(in: 1...4000, using: &generator)).map { _ in UInt8.random(in: 0...limit, using: &generator) })
        }
        for input in inputs {
            let encoded = try compressor.encode(input)
            #expect(encoded.firstSymbol(notBelow: compressor.descriptor.alphabetSize) == nil)
            #expect(try compressor.decode(encoded, maxOutputBytes: input.count) == input, "\(spec)")
            if !input.isEmpty {
                #expect(throws: CodecError.self) { try compressor.decode(encoded, maxOutputBytes: input.count - 1) }
            }
            let spans = try #require(encoded.spans)
            #expect(spans.last?.bytes.upperBound ?? 0 == input.count)
            #expect(spans.last?.symbols.upperBound ?? 0 == encoded.symbols.count)
        }
        let alphabet = UInt32(compressor.descriptor.alphabetSize)
        for bad in [[alphabet], [0, alphabet, 0], [UInt32.max]] {
            #expect(throws: CodecError.self) { try compressor.decode(EncodedDocument(symbols: bad), maxOutputBytes: 1 << 20) }
        }
        // Bit flips and truncations never trap.
        let encoded = try compressor.encode(Array(inputs[7].prefix(6000)))
        for _ in 0..<40 {
            var copy = encoded.symbols
            let index = Int.random(in: 0..<copy.count, using: &generator)
            copy[index] = (copy[index] ^ (1 << UInt32.random(in: 0..<8, using: &generator))) % alphabet
            _ = try? compressor.decode(EncodedDocument(symbols: copy), maxOutputBytes: 20_000)
            _ = try? compressor.decode(EncodedDocument(symbols: Array(copy.dropFirst())), maxOutputBytes: 20_000)
        }
    }
}

final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ value: String) { lock.withLock { stored.append(value) } }
    var values: [String] { lock.withLock { stored } }
}
