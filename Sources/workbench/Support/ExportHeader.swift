import Foundation
import ProxyTrainer
import WorkbenchCore

/// The JSON header of an export (`<prefix>.json`): what was exported, from what, with what
/// vocabulary, and the counts. A merge of shards writes exactly the header an unsharded run
/// writes: the counts summed and `shard` dropped.
struct ExportHeader: Codable, Equatable {
    /// The compressor that produced the output.
    struct Compressor: Codable, Equatable {
        var spec: String
        var id: String
        var library: String?
        var libraryVersion: String?
        var alphabetSize: Int
        var passesRawBytesThrough: Bool
    }

    /// The corpus it was read from.
    struct Corpus: Codable, Equatable {
        var name: String
        var sha256: String
        var split: String
        var splitRule: String
    }

    /// Where the corpus record comes from: its fingerprint may still be being computed.
    struct CorpusSource {
        var name: String
        var info: CorpusInfo
        var split: CorpusSplit

        /// The record, waiting for the fingerprint if needed.
        func record() throws -> Corpus {
            Corpus(name: name, sha256: try info.sha256(), split: split.rawValue, splitRule: CorpusSplit.ruleDescription)
        }
    }

    /// The proxy vocabulary of PAPER.md, as a token array's ids use it.
    struct Vocabulary: Codable, Equatable {
        var size: Int
        var pad: Int32 = ProxyVocabulary.pad
        var bos: Int32 = ProxyVocabulary.bos
        var eos: Int32 = ProxyVocabulary.eos
        var unk: Int32 = ProxyVocabulary.unk
        var rawOpen: Int32 = ProxyVocabulary.rawOpen
        var rawClose: Int32 = ProxyVocabulary.rawClose
        var compressedOpen: Int32 = ProxyVocabulary.compressedOpen
        var compressedClose: Int32 = ProxyVocabulary.compressedClose
        var byteOffset: Int32 = ProxyVocabulary.byteOffset
        var compressedOffset: Int32 = ProxyVocabulary.compressedOffset
        var compressedSymbols: Int
        var passesRawBytesThrough: Bool
        var layout =
            "0..63 special (0 pad, 1 bos, 2 eos, 3 unk, 12 <raw>, 13 </raw>, 14 <compressed>, 15 </compressed>); 64+b raw byte b; 320+v compressed symbol v (a pass-through compressor's symbols 0..255 are raw bytes, 256+v is 320+v)"
    }

    /// Token-array specifics.
    struct TokenArray: Codable, Equatable {
        /// `uint16` when every id fits, else `uint32`; little-endian.
        var dtype: String
        /// `compressed`: bos <compressed> ids </compressed> eos; `raw`: bos <raw> bytes </raw> eos.
        var view: String
        var vocabulary: Vocabulary
        /// `<prefix>.idx`: documents + 1 little-endian UInt64 offsets, in tokens; document i is
        /// tokens idx[i] ..< idx[i+1] of `<prefix>.bin`.
        var index = "little-endian uint64, documents + 1 offsets in tokens; document i = bin[idx[i]:idx[i+1]]"
    }

    /// Reference-JSONL specifics.
    struct ReferenceJSONL: Codable, Equatable {
        /// The field holding the document text.
        var textField: String
        /// The compressed field, or nil when the reference code compresses on the fly (gzip).
        var compressedField: String?
        /// What the compressed field holds.
        var encoding: String
        /// A file written beside the output that the reference needs (bpe: `<prefix>.tokenizer.json`).
        var companionSuffix: String?
    }

    var format = "workbench.export/1"
    var exportFormat: String
    var workbenchVersion = WorkbenchVersion.current
    var compressor: Compressor
    var corpus: Corpus
    var counts: ShardCounts
    var tokenArray: TokenArray?
    var referenceJSONL: ReferenceJSONL?
    var shard: ShardHeader?

    /// Pretty, key-sorted JSON with a final newline: the bytes an unsharded run and a merge share.
    func serialized() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    static func compressorRecord(_ descriptor: CompressorDescriptor) -> Compressor {
        Compressor(
            spec: descriptor.spec.description, id: descriptor.id, library: descriptor.libraryName,
            libraryVersion: descriptor.libraryVersion, alphabetSize: descriptor.alphabetSize,
            passesRawBytesThrough: descriptor.passesRawBytesThrough)
    }
}
