import WorkbenchCore

/// `workbench encode`'s output: one JSON line of symbols (and spans) per document.
struct EncodeFormat: CorpusJobFormat {
    let compressor: any Compressor
    let corpusInfo: CorpusInfo
    let split: CorpusSplit

    var kind: String { "encode" }
    var mainSuffix: String { ".jsonl" }
    var writesIndex: Bool { false }
    var job: String {
        get throws { "encode|\(compressor.descriptor.spec)|corpus \(try corpusInfo.sha256())|split \(split.rawValue)" }
    }

    func record(_ document: CorpusDocument) throws -> DocumentRecord {
        let encoded = try compressor.encode(document.bytes)
        let line = JSONText.encodedLine(source: document.source, encoded: encoded) + "\n"
        return DocumentRecord(payload: Array(line.utf8), items: 1, symbols: encoded.symbols.count, rawBytes: document.bytes.count)
    }

    func trailingFiles(counts: ShardCounts, shard: ShardHeader?) throws -> [(suffix: String, bytes: [UInt8])] { [] }
}
