import WorkbenchCore

/// `workbench encode`'s output: one JSON line of symbols (and spans) per document.
public struct EncodeFormat: CorpusJobFormat {
    /// The compressor.
    public let compressor: any Compressor
    /// The corpus's unit count and fingerprint.
    public let corpusInfo: CorpusInfo
    /// The split encoded.
    public let split: CorpusSplit

    /// An encoding of `split` with `compressor`.
    public init(compressor: any Compressor, corpusInfo: CorpusInfo, split: CorpusSplit) {
        self.compressor = compressor
        self.corpusInfo = corpusInfo
        self.split = split
    }

    public var kind: String { "encode" }
    public var mainSuffix: String { ".jsonl" }
    public var writesIndex: Bool { false }
    public var job: String {
        get throws { "encode|\(compressor.descriptor.spec)|corpus \(try corpusInfo.sha256())|split \(split.rawValue)" }
    }

    public func record(_ document: CorpusDocument) throws -> DocumentRecord {
        let encoded = try compressor.encode(document.bytes)
        let line = JSONText.encodedLine(source: document.source, encoded: encoded) + "\n"
        return DocumentRecord(payload: Array(line.utf8), items: 1, symbols: encoded.symbols.count, rawBytes: document.bytes.count)
    }

    public func trailingFiles(counts: ShardCounts, shard: ShardHeader?) throws -> [(suffix: String, bytes: [UInt8])] { [] }
}
