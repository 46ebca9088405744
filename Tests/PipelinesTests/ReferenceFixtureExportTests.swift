import Builtins
import Foundation
import Pipelines
import ProxyTrainer
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// What we export against the ids the reference trainer's own data path derives from it
/// (committed fixtures and the script that made them: Tests/ACTests/Fixtures/reference-code):
/// the token-array export's ids are the reference's `model_ids` for gzip, bpe and ac (16- and
/// 20-bit windows), and the reference JSONL's `bpe_ids` are HuggingFace's `encode`.
@Suite struct ReferenceFixtureExportTests {
    static let directory = TestEnvironment.repositoryRoot + "/Tests/ACTests/Fixtures/reference-code"

    struct Documents: Decodable {
        struct Document: Decodable {
            var name: String
            var text: String
        }
        var documents: [Document]
    }

    struct GzipFixture: Decodable {
        struct Document: Decodable {
            var name: String
            var model_ids: [Int32]
            var compressed_hex: String
        }
        var documents: [Document]
    }

    struct BPEFixture: Decodable {
        struct Document: Decodable {
            var name: String
            var hf_encode_ids: [Int]
            var reference_token_ids: [Int]?
            var model_ids: [Int32]?
            var token_byte_model_ids: [Int32]
        }
        var tokenizer_file: String
        var model_vocab_size_needed: Int
        var documents: [Document]
    }

    struct ACFixture: Decodable {
        struct Config: Decodable {
            var compression_alg_config: String
            var separate_embedding: Bool
            var model_ids: [Int32]?
        }
        struct Case: Decodable {
            var name: String
            var window_bits: Int
            var workbench_symbols_pass_through: [UInt32]?
            var configs: [Config]
        }
        var cases: [Case]
    }

    static func load<T: Decodable>(_ type: T.Type, _ file: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
    }

    static func texts() throws -> [String: [UInt8]] {
        Dictionary(
            uniqueKeysWithValues: try load(Documents.self, "documents.json").documents.map { ($0.name, Array($0.text.utf8)) })
    }

    /// The ids `export --format token-array` writes for one document.
    static func tokenArrayIDs(_ compressor: any Compressor, _ document: [UInt8]) throws -> [Int32] {
        let format = TokenArrayFormat(
            compressor: compressor, vocabulary: try ProxyVocabulary(descriptor: compressor.descriptor), view: .compressed,
            corpus: try corpusSource())
        let payload = try format.record(CorpusDocument(bytes: document, source: "fixture")).payload
        let width = format.bytesPerToken
        return stride(from: 0, to: payload.count, by: width).map { start in
            Int32(payload[start..<(start + width)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
    }

    static func corpusSource() throws -> ExportHeader.CorpusSource {
        let path = try TestEnvironment.temporaryDirectory(prefix: "fixture-corpus") + "/c.jsonl"
        try "{\"text\": \"x\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let info = try CorpusInfo(try CorpusStream(path: path), given: nil, background: false, recorded: true)
        return ExportHeader.CorpusSource(name: "c", info: info, split: .all)
    }

    /// gzip (`gzip_no_mtime`, separate embedding): the same ids for every document, header
    /// included (the fixture's Python wrote OS byte 3, as zlib does here).
    @Test func gzipTokenArrayIsTheReferencesIDs() throws {
        let texts = try Self.texts()
        let gzip = try Builtins.registry.makeCompressor(CompressorSpec(id: "gzip"))
        let fixture = try Self.load(GzipFixture.self, "gzip.json")
        #expect(fixture.documents.count >= 8)
        for document in fixture.documents {
            let text = try #require(texts[document.name])
            #expect(try Self.tokenArrayIDs(gzip, text) == document.model_ids, "\(document.name)")
            let hex = try gzip.encode(text).symbols.map { String(format: "%02x", $0) }.joined()
            #expect(hex == document.compressed_hex, "\(document.name)")
        }
    }

    /// bpe with the fixture's tokenizer: our ids are HuggingFace's `encode`; the reference's token
    /// proxy trains on exactly our token-array ids except where its `encode_with_spm` drops a
    /// first id 1 or a last id 2 (docs/scale.md), which the fixture's `strip_first_and_last` shows.
    @Test func bpeExportsAreTheReferencesIDs() throws {
        let texts = try Self.texts()
        let fixture = try Self.load(BPEFixture.self, "bpe.json")
        let tokenizer = Self.directory + "/" + fixture.tokenizer_file
        let bpe = try Builtins.registry.makeCompressor(CompressorSpec(parsing: "bpe:tokenizer=\(tokenizer)"))
        let tokenBytes = try Builtins.registry.makeCompressor(CompressorSpec(parsing: "bpe:tokenizer=\(tokenizer),as=bytes"))
        let reference = ReferenceJSONLFormat(compressor: bpe, corpus: try Self.corpusSource())
        var stripped = 0
        for document in fixture.documents {
            let text = try #require(texts[document.name])
            let ours = try Self.tokenArrayIDs(bpe, text)
            #expect(ours == [1, 14] + document.hf_encode_ids.map { Int32(320 + $0) } + [15, 2], "\(document.name)")
            if let referenceIDs = document.reference_token_ids, let modelIDs = document.model_ids {
                if referenceIDs == document.hf_encode_ids {
                    #expect(ours == modelIDs, "\(document.name)")
                } else {
                    stripped += 1
                    #expect(document.hf_encode_ids.first == 1 || document.hf_encode_ids.last == 2)
                }
            }
            #expect(try Self.tokenArrayIDs(tokenBytes, text) == document.token_byte_model_ids, "\(document.name) as=bytes")
            let line = String(decoding: try reference.record(CorpusDocument(bytes: text, source: "f")).payload, as: UTF8.self)
            #expect(
                line.contains("\"bpe_ids\":[\(document.hf_encode_ids.map(String.init).joined(separator: ","))]"),
                "\(document.name)")
        }
        #expect(stripped == 1)
        // The header says what the reference's model.vocab_size must be, and the companions
        // include the folder AutoTokenizer.from_pretrained loads.
        let trailing = try reference.trailingFiles(counts: ShardCounts(), shard: nil)
        let header = try JSONDecoder().decode(
            ExportHeader.self, from: Data(try #require(trailing.first { $0.suffix == ".json" }).bytes))
        #expect(header.referenceJSONL?.vocabulary?.size == fixture.model_vocab_size_needed)
        let config = try #require(trailing.first { $0.suffix == ".tokenizer/tokenizer_config.json" })
        #expect(String(decoding: config.bytes, as: UTF8.self) == "{\"tokenizer_class\": \"PreTrainedTokenizerFast\"}\n")
        #expect(
            trailing.first { $0.suffix == ".tokenizer/tokenizer.json" }?.bytes
                == trailing.first { $0.suffix == ".tokenizer.json" }?.bytes)
    }

    /// ac: the reference's ac script trains without a separate embedding (raw byte b -> 64 + b,
    /// window w -> 320 + w), which is our token-array layout, for 16- and 20-bit windows.
    @Test func acTokenArrayIsTheReferencesIDs() throws {
        let fixture = try Self.load(ACFixture.self, "ac.json")
        var checked = 0
        for item in fixture.cases {
            guard let symbols = item.workbench_symbols_pass_through, item.window_bits > 0, item.name != "ow16_cut_span" else {
                continue
            }
            let compressor = FixedSymbols(
                symbols: symbols,
                descriptor: CompressorDescriptor(
                    id: "ac", displayName: "", options: ["window": String(item.window_bits)],
                    alphabetSize: 256 + (1 << item.window_bits), passesRawBytesThrough: true))
            for config in item.configs
            where !config.separate_embedding && config.compression_alg_config.contains("pack_\(item.window_bits)-") {
                let expected = try #require(config.model_ids)
                #expect(try Self.tokenArrayIDs(compressor, []) == expected, "\(item.name)")
                checked += 1
            }
        }
        #expect(checked >= 4)
    }
}

/// A compressor that returns the same symbols for any document (the fixture's synthetic streams).
struct FixedSymbols: Compressor {
    var symbols: [UInt32]
    var descriptor: CompressorDescriptor
    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument { EncodedDocument(symbols: symbols) }
    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] { [] }
}
