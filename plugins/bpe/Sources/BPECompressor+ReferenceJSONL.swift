import WorkbenchCore

/// The reference trainer reads a `bpe` view as token ids (`bpe_ids`) of the HuggingFace tokenizer
/// written beside the export, whatever representation (`as`) the compressor uses.
extension BPECompressor: ReferenceJSONLConvertible {
    public var referenceJSONLField: ReferenceJSONLField {
        ReferenceJSONLField(
            name: "bpe_ids", encoding: "token ids of the tokenizer in <prefix>.tokenizer.json (HuggingFace format)")
    }

    public func referenceJSONLValue(for document: [UInt8]) throws -> ReferenceJSONLValue {
        let ids = tokenizer.encode(document)
        return ReferenceJSONLValue(
            json: "[" + ids.map(String.init).joined(separator: ",") + "]",
            symbols: ids.count * representation.symbolsPerToken)
    }

    public func referenceJSONLCompanions() throws -> [ReferenceJSONLCompanion] {
        [ReferenceJSONLCompanion(suffix: ".tokenizer.json", bytes: Array(TokenizerJSON.serialize(tokenizer.model).utf8))]
    }
}
