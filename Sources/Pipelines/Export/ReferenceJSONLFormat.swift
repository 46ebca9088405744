import Foundation
import ProxyTrainer
import WorkbenchCore

/// `export --format reference-jsonl`: JSON Lines the reference PyTorch trainer reads (the code of
/// "Proxy Compression for Language Modeling", github.com/LZhengisme/proxy-compression): `text`
/// plus the compressed field it expects.
///
/// A compressor that the reference reads in a form of its own says so through
/// `ReferenceJSONLConvertible` (field, value, companion files such as a tokenizer); any other is
/// written as `<id>_base64` (byte-valued symbols) or `<id>_symbols` (an id array), which the
/// reference code has no reader for: those are for custom trainers.
public struct ReferenceJSONLFormat: CorpusJobFormat {
    let compressor: any Compressor
    let corpus: ExportHeader.CorpusSource
    /// The field this export writes.
    public let field: ReferenceJSONLField
    private let convertible: (any ReferenceJSONLConvertible)?
    /// Whether the main output is named `<prefix>.chunk.00.jsonl`.
    public let chunkNaming: Bool

    /// The main output's suffix under the reference's naming: its loader
    /// (`find_and_sanitize_chunks`) reads only files matching `*.chunk.*.jsonl` in a folder.
    public static let chunkSuffix = ".chunk.00.jsonl"

    /// An export of `compressor`'s view of `corpus`; with `chunkNaming` the main output is
    /// `<prefix>.chunk.00.jsonl` (shards: `shard-R-of-N.chunk.00.jsonl`), which the reference's
    /// loader finds.
    public init(compressor: any Compressor, corpus: ExportHeader.CorpusSource, chunkNaming: Bool = false) {
        self.compressor = compressor
        self.corpus = corpus
        self.chunkNaming = chunkNaming
        convertible = compressor as? any ReferenceJSONLConvertible
        field = convertible?.referenceJSONLField ?? .generic(compressor.descriptor)
    }

    public var kind: String { "export-reference-jsonl" }
    public var mainSuffix: String { chunkNaming ? Self.chunkSuffix : ".jsonl" }
    public var writesIndex: Bool { false }
    public var job: String {
        get throws {
            "export-reference-jsonl|\(compressor.descriptor.spec)|corpus \(try corpus.info.sha256())|split \(corpus.split.rawValue)"
                + (chunkNaming ? "|chunk naming" : "")
        }
    }

    public func record(_ document: CorpusDocument) throws -> DocumentRecord {
        guard let text = String(validating: document.bytes, as: UTF8.self) else {
            throw WorkbenchError(
                "\(document.source): not valid UTF-8, but the reference format's `text` field is a JSON string; export this corpus as --format token-array"
            )
        }
        var line = "{\"text\":" + JSONString.literal(text)
        var symbols = 0
        if let name = field.name {
            let value = try convertible?.referenceJSONLValue(for: document.bytes) ?? genericValue(document.bytes)
            symbols = value.symbols
            line += ",\"" + name + "\":" + value.json
        }
        line += "}\n"
        return DocumentRecord(payload: Array(line.utf8), items: 1, symbols: symbols, rawBytes: document.bytes.count)
    }

    /// `<id>_base64` or `<id>_symbols` for a compressor the reference code has no reader for.
    private func genericValue(_ document: [UInt8]) throws -> ReferenceJSONLValue {
        let symbols = try compressor.encode(document).symbols
        let json =
            compressor.descriptor.alphabetSize <= 256
            ? "\"" + Data(symbols.map { UInt8(truncatingIfNeeded: $0) }).base64EncodedString() + "\""
            : "[" + symbols.map(String.init).joined(separator: ",") + "]"
        return ReferenceJSONLValue(json: json, symbols: symbols.count)
    }

    public func trailingFiles(counts: ShardCounts, shard: ShardHeader?) throws -> [(suffix: String, bytes: [UInt8])] {
        let companions = try convertible?.referenceJSONLCompanions() ?? []
        var files = companions.map { (suffix: $0.suffix, bytes: $0.bytes) }
        let proxy = try ProxyVocabulary(descriptor: compressor.descriptor)
        let header = ExportHeader(
            exportFormat: "reference-jsonl", compressor: ExportHeader.compressorRecord(compressor.descriptor),
            corpus: try corpus.record(), counts: counts,
            referenceJSONL: ExportHeader.ReferenceJSONL(
                textField: "text", compressedField: field.name, encoding: field.encoding,
                companionSuffix: companions.first?.suffix, companionSuffixes: companions.isEmpty ? nil : companions.map(\.suffix),
                vocabulary: ExportHeader.Vocabulary(
                    size: proxy.size, compressedSymbols: proxy.compressedSymbols,
                    passesRawBytesThrough: proxy.passesRawBytesThrough)),
            shard: shard)
        files.append((".json", try header.serialized()))
        return files
    }
}
