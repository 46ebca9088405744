import ProxyTrainer
import WorkbenchCore

/// `export --format token-array`: every document's proxy-vocabulary ids in one flat
/// little-endian array (`.bin`), with document offsets (`.idx`) and a JSON header (`.json`), the
/// layout GPT-style trainers memory-map (docs/token_array_reader.py reads it).
public struct TokenArrayFormat: CorpusJobFormat {
    /// Which view of each document is written.
    public enum View: String, CaseIterable, Sendable {
        /// `bos <compressed> ids… </compressed> eos`: what the proxy model trains on at rate 1.
        case compressed
        /// `bos <raw> bytes… </raw> eos`: the raw-byte view (the compressor only sizes the vocabulary).
        case raw
    }

    /// The compressor whose view is written.
    public let compressor: any Compressor
    /// The proxy vocabulary the ids belong to.
    public let vocabulary: ProxyVocabulary
    /// Which view of each document is written.
    public let view: View
    /// The corpus read.
    public let corpus: ExportHeader.CorpusSource

    /// An export of `compressor`'s (or the raw) view of `corpus`.
    public init(compressor: any Compressor, vocabulary: ProxyVocabulary, view: View, corpus: ExportHeader.CorpusSource) {
        self.compressor = compressor
        self.vocabulary = vocabulary
        self.view = view
        self.corpus = corpus
    }

    /// Bytes per id: 2 when every id of the vocabulary fits in a UInt16.
    public var bytesPerToken: Int { vocabulary.size <= 65_536 ? 2 : 4 }

    public var kind: String { "export-token-array" }
    public var mainSuffix: String { ".bin" }
    public var writesIndex: Bool { true }
    public var job: String {
        get throws {
            "export-token-array|\(compressor.descriptor.spec)|view \(view.rawValue)|corpus \(try corpus.info.sha256())|split \(corpus.split.rawValue)"
        }
    }

    public func record(_ document: CorpusDocument) throws -> DocumentRecord {
        var ids: [Int32] = [ProxyVocabulary.bos]
        var symbols = 0
        switch view {
        case .compressed:
            let encoded = try compressor.encode(document.bytes)
            symbols = encoded.symbols.count
            ids.reserveCapacity(encoded.symbols.count + 4)
            ids.append(ProxyVocabulary.compressedOpen)
            for symbol in encoded.symbols { vocabulary.appendIDs(ofSymbol: symbol, to: &ids) }
            ids.append(ProxyVocabulary.compressedClose)
        case .raw:
            ids.reserveCapacity(document.bytes.count + 4)
            ids.append(ProxyVocabulary.rawOpen)
            for byte in document.bytes { ids.append(ProxyVocabulary.byteID(byte)) }
            ids.append(ProxyVocabulary.rawClose)
        }
        ids.append(ProxyVocabulary.eos)
        var payload = [UInt8](repeating: 0, count: ids.count * bytesPerToken)
        for (index, id) in ids.enumerated() {
            guard id >= 0, Int(id) < vocabulary.size else {
                throw WorkbenchError(
                    "\(document.source): id \(id) is outside the vocabulary of \(vocabulary.size) (compressor \(compressor.descriptor.spec) gave a symbol beyond its alphabet)"
                )
            }
            let value = UInt32(id)
            for byte in 0..<bytesPerToken {
                payload[index * bytesPerToken + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(byte)))
            }
        }
        return DocumentRecord(payload: payload, items: ids.count, symbols: symbols, rawBytes: document.bytes.count)
    }

    public func trailingFiles(counts: ShardCounts, shard: ShardHeader?) throws -> [(suffix: String, bytes: [UInt8])] {
        let tokenArray = ExportHeader.TokenArray(
            dtype: bytesPerToken == 2 ? "uint16" : "uint32", view: view.rawValue,
            vocabulary: ExportHeader.Vocabulary(
                size: vocabulary.size, compressedSymbols: vocabulary.compressedSymbols,
                passesRawBytesThrough: vocabulary.passesRawBytesThrough))
        let header = ExportHeader(
            exportFormat: "token-array", compressor: ExportHeader.compressorRecord(compressor.descriptor),
            corpus: try corpus.record(),
            counts: counts, tokenArray: tokenArray, shard: shard)
        return [(".json", try header.serialized())]
    }
}
