import WorkbenchCore

/// The reference trainer reads a `bpe` view as token ids (`bpe_ids`) of the HuggingFace tokenizer
/// written beside the export, whatever representation (`as`) the compressor uses.
extension BPECompressor: ReferenceJSONLConvertible {
    public var referenceJSONLField: ReferenceJSONLField {
        ReferenceJSONLField(
            name: "bpe_ids",
            encoding:
                "token ids of the tokenizer in <prefix>.tokenizer.json (HuggingFace format; <prefix>.tokenizer/ is the folder AutoTokenizer.from_pretrained loads)"
        )
    }

    public func referenceJSONLValue(for document: [UInt8]) throws -> ReferenceJSONLValue {
        let ids = tokenizer.encode(document)
        return ReferenceJSONLValue(
            json: "[" + ids.map(String.init).joined(separator: ",") + "]",
            symbols: ids.count * representation.symbolsPerToken)
    }

    /// The tokenizer as `<prefix>.tokenizer.json`, and as the folder the reference's token proxy
    /// loads with `AutoTokenizer.from_pretrained` (its `spm_byte_path`): `<prefix>.tokenizer/`
    /// holding `tokenizer.json` and a `tokenizer_config.json` naming the fast tokenizer class,
    /// without which transformers cannot load a bare tokenizer.json.
    public func referenceJSONLCompanions() throws -> [ReferenceJSONLCompanion] {
        let json = Array(TokenizerJSON.serialize(tokenizer.model).utf8)
        return [
            ReferenceJSONLCompanion(suffix: ".tokenizer.json", bytes: json),
            ReferenceJSONLCompanion(suffix: ".tokenizer/tokenizer.json", bytes: json),
            ReferenceJSONLCompanion(
                suffix: ".tokenizer/tokenizer_config.json",
                bytes: Array("{\"tokenizer_class\": \"PreTrainedTokenizerFast\"}\n".utf8)),
        ]
    }
}
