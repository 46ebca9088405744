import Foundation
import ProxyTrainer
import WorkbenchCore

/// The JSON header of an export (`<prefix>.json`): what was exported, from what, with what
/// vocabulary, and the counts. A merge of shards writes exactly the header an unsharded run
/// writes: the counts summed and `shard` dropped.
public struct ExportHeader: Codable, Equatable {
    /// The compressor that produced the output.
    public struct Compressor: Codable, Equatable {
        public var spec: String
        public var id: String
        public var library: String?
        public var libraryVersion: String?
        public var alphabetSize: Int
        public var passesRawBytesThrough: Bool
    }

    /// The corpus it was read from.
    public struct Corpus: Codable, Equatable {
        public var name: String
        public var sha256: String
        public var split: String
        public var splitRule: String

        /// Creates a record.
        public init(name: String, sha256: String, split: String, splitRule: String) {
            self.name = name
            self.sha256 = sha256
            self.split = split
            self.splitRule = splitRule
        }
    }

    /// Where the corpus record comes from: its fingerprint may still be being computed.
    public struct CorpusSource: Sendable {
        /// Creates a source.
        public init(name: String, info: CorpusInfo, split: CorpusSplit, splitRule: String = CorpusSplit.ruleDescription) {
            self.name = name
            self.info = info
            self.split = split
            self.splitRule = splitRule
        }

        public var name: String
        public var info: CorpusInfo
        public var split: CorpusSplit
        /// The split rule, in words.
        public var splitRule: String

        /// The record, waiting for the fingerprint if needed.
        public func record() throws -> Corpus {
            Corpus(name: name, sha256: try info.sha256(), split: split.rawValue, splitRule: splitRule)
        }
    }

    /// The proxy vocabulary of the paper ("Proxy Compression for Language Modeling"), as a token array's ids use it.
    public struct Vocabulary: Codable, Equatable {
        public var size: Int
        public var pad: Int32 = ProxyVocabulary.pad
        public var bos: Int32 = ProxyVocabulary.bos
        public var eos: Int32 = ProxyVocabulary.eos
        public var unk: Int32 = ProxyVocabulary.unk
        public var rawOpen: Int32 = ProxyVocabulary.rawOpen
        public var rawClose: Int32 = ProxyVocabulary.rawClose
        public var compressedOpen: Int32 = ProxyVocabulary.compressedOpen
        public var compressedClose: Int32 = ProxyVocabulary.compressedClose
        public var byteOffset: Int32 = ProxyVocabulary.byteOffset
        public var compressedOffset: Int32 = ProxyVocabulary.compressedOffset
        public var compressedSymbols: Int
        public var passesRawBytesThrough: Bool
        public var layout =
            "0..63 special (0 pad, 1 bos, 2 eos, 3 unk, 12 <raw>, 13 </raw>, 14 <compressed>, 15 </compressed>); 64+b raw byte b; 320+v compressed symbol v (a pass-through compressor's symbols 0..255 are raw bytes, 256+v is 320+v)"
    }

    /// Token-array specifics.
    public struct TokenArray: Codable, Equatable {
        /// `uint16` when every id fits, else `uint32`; little-endian.
        public var dtype: String
        /// `compressed`: bos <compressed> ids </compressed> eos; `raw`: bos <raw> bytes </raw> eos.
        public var view: String
        public var vocabulary: Vocabulary
        /// `<prefix>.idx`: documents + 1 little-endian UInt64 offsets, in tokens; document i is
        /// tokens idx[i] ..< idx[i+1] of `<prefix>.bin`.
        public var index = "little-endian uint64, documents + 1 offsets in tokens; document i = bin[idx[i]:idx[i+1]]"
    }

    /// Reference-JSONL specifics.
    public struct ReferenceJSONL: Codable, Equatable {
        /// The field holding the document text.
        public var textField: String
        /// The compressed field, or nil when the reference code compresses on the fly (gzip).
        public var compressedField: String?
        /// What the compressed field holds.
        public var encoding: String
        /// A file written beside the output that the reference needs (bpe: `<prefix>.tokenizer.json`).
        public var companionSuffix: String?
        /// Every companion written, in order (a tokenizer file, a folder the reference loads...).
        public var companionSuffixes: [String]?
        /// The proxy vocabulary of the ids the reference derives from this view: its
        /// `model.vocab_size` must be `vocabulary.size` (docs/scale.md).
        public var vocabulary: Vocabulary?
    }

    public var format = "workbench.export/1"
    public var exportFormat: String
    public var workbenchVersion = WorkbenchVersion.current
    public var compressor: Compressor
    public var corpus: Corpus
    public var counts: ShardCounts
    public var tokenArray: TokenArray?
    public var referenceJSONL: ReferenceJSONL?
    public var shard: ShardHeader?

    /// Pretty, key-sorted JSON with a final newline: the bytes an unsharded run and a merge share.
    public func serialized() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    public static func compressorRecord(_ descriptor: CompressorDescriptor) -> Compressor {
        Compressor(
            spec: descriptor.spec.description, id: descriptor.id, library: descriptor.libraryName,
            libraryVersion: descriptor.libraryVersion, alphabetSize: descriptor.alphabetSize,
            passesRawBytesThrough: descriptor.passesRawBytesThrough)
    }
}
