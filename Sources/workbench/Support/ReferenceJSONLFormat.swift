import ACPlugin
import BPEPlugin
import Foundation
import WorkbenchCore

/// `export --format reference-jsonl`: JSON Lines the reference PyTorch trainer
/// (github.com/LZhengisme/proxy-compression) reads: `text` plus the compressed field it expects.
///
/// - ac: `m1_ac_ow<b>` (or `m1_ac`), base64 of the 9-bit stream (`ReferenceExport`).
/// - bpe: `bpe_ids`, the token ids, and `<prefix>.tokenizer.json` beside the output (the
///   reference tokenizes on the fly with a HuggingFace tokenizer; the ids let it skip that).
/// - gzip: nothing: the reference compresses on the fly.
/// - any other compressor: `<id>_base64` (byte-valued symbols) or `<id>_symbols` (an id array);
///   the reference code has no reader for these, they are for custom trainers.
struct ReferenceJSONLFormat: CorpusJobFormat {
    let compressor: any Compressor
    let corpus: ExportHeader.CorpusSource

    var kind: String { "export-reference-jsonl" }
    var mainSuffix: String { ".jsonl" }
    var writesIndex: Bool { false }
    var job: String {
        get throws {
            "export-reference-jsonl|\(compressor.descriptor.spec)|corpus \(try corpus.info.sha256())|split \(corpus.split.rawValue)"
        }
    }

    private var descriptor: CompressorDescriptor { compressor.descriptor }

    /// The compressed field's name, or nil for gzip.
    var fieldName: String? {
        switch descriptor.id {
        case "gzip": return nil
        case ACPlugin.id: return ReferenceExport.fieldName(windowBits: descriptor.options["window"].flatMap { Int($0) } ?? 0)
        case "bpe": return "bpe_ids"
        default: return descriptor.alphabetSize <= 256 ? "\(descriptor.id)_base64" : "\(descriptor.id)_symbols"
        }
    }

    func record(_ document: CorpusDocument) throws -> DocumentRecord {
        guard let text = String(validating: document.bytes, as: UTF8.self) else {
            throw WorkbenchError(
                "\(document.source): not valid UTF-8, but the reference format's `text` field is a JSON string; export this corpus as --format token-array")
        }
        var line = "{\"text\":" + JSONString.literal(text)
        var symbols = 0
        if descriptor.id != "gzip" {
            let encoded = try compressor.encode(document.bytes)
            symbols = encoded.symbols.count
            line += ",\"" + (fieldName ?? "") + "\":"
            switch descriptor.id {
            case ACPlugin.id:
                line += "\"" + (try ReferenceExport.m1ACField(encoded, descriptor: descriptor)).value + "\""
            case "bpe":
                let ids = (compressor as? BPECompressor)?.tokenizer.encode(document.bytes) ?? encoded.symbols
                line += "[" + ids.map(String.init).joined(separator: ",") + "]"
            default:
                if descriptor.alphabetSize <= 256 {
                    line += "\"" + Data(encoded.symbols.map { UInt8(truncatingIfNeeded: $0) }).base64EncodedString() + "\""
                } else {
                    line += "[" + encoded.symbols.map(String.init).joined(separator: ",") + "]"
                }
            }
        }
        line += "}\n"
        return DocumentRecord(payload: Array(line.utf8), items: 1, symbols: symbols, rawBytes: document.bytes.count)
    }

    func trailingFiles(counts: ShardCounts, shard: ShardHeader?) throws -> [(suffix: String, bytes: [UInt8])] {
        var files: [(suffix: String, bytes: [UInt8])] = []
        let encoding: String
        var companion: String?
        switch descriptor.id {
        case "gzip": encoding = "none: the reference compresses the text on the fly (gzip, mtime 0)"
        case ACPlugin.id: encoding = "base64 of 9-bit values packed LSB-first: 0..255 raw bytes, 256+b compressed byte b"
        case "bpe":
            encoding = "token ids of the tokenizer in <prefix>.tokenizer.json (HuggingFace format)"
            if let bpe = compressor as? BPECompressor {
                companion = ".tokenizer.json"
                files.append((".tokenizer.json", Array(TokenizerJSON.serialize(bpe.tokenizer.model).utf8)))
            }
        default:
            encoding = descriptor.alphabetSize <= 256 ? "base64 of the symbol bytes" : "array of symbol ids"
        }
        let header = ExportHeader(
            exportFormat: "reference-jsonl", compressor: ExportHeader.compressorRecord(descriptor), corpus: try corpus.record(),
            counts: counts,
            referenceJSONL: ExportHeader.ReferenceJSONL(
                textField: "text", compressedField: fieldName, encoding: encoding, companionSuffix: companion),
            shard: shard)
        files.append((".json", try header.serialized()))
        return files
    }
}
