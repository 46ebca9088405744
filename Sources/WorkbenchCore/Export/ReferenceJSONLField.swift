/// How a compressor's view appears in a JSON Lines record read by the reference PyTorch trainer
/// (the code of "Proxy Compression for Language Modeling", arXiv 2602.04289): every record holds
/// the document's `text`, plus at most one compressed field.
///
/// A compressor that the reference code reads in a form of its own adopts
/// `ReferenceJSONLConvertible` in its plugin folder; every other compressor is exported with a
/// generic field (`<id>_base64` for byte-valued symbols, `<id>_symbols` otherwise).
public struct ReferenceJSONLField: Sendable, Equatable {
    /// The compressed field's name, or nil when the reference code derives the view from `text`
    /// itself (gzip).
    public var name: String?
    /// What the field holds, in words (recorded in the export's header).
    public var encoding: String

    /// Creates a field description.
    public init(name: String?, encoding: String) {
        self.name = name
        self.encoding = encoding
    }

    /// The generic field of a compressor the reference code has no reader for.
    public static func generic(_ descriptor: CompressorDescriptor) -> ReferenceJSONLField {
        descriptor.alphabetSize <= 256
            ? ReferenceJSONLField(name: "\(descriptor.id)_base64", encoding: "base64 of the symbol bytes")
            : ReferenceJSONLField(name: "\(descriptor.id)_symbols", encoding: "array of symbol ids")
    }
}

/// One document's compressed field in a reference JSONL record.
public struct ReferenceJSONLValue: Sendable, Equatable {
    /// The field's value as JSON text (a string literal with its quotes, or an array).
    public var json: String
    /// Symbols the document encoded to (counted in the export's header).
    public var symbols: Int

    /// Creates a value.
    public init(json: String, symbols: Int) {
        self.json = json
        self.symbols = symbols
    }
}

/// A file the reference code needs beside an export (a tokenizer, its configuration), written
/// as `<prefix><suffix>`; a suffix with a `/` puts it in a folder (created as needed), e.g.
/// `.tokenizer/tokenizer_config.json`. Shards each write it; `merge` keeps one copy and refuses
/// shards whose copies differ.
public struct ReferenceJSONLCompanion: Sendable, Equatable {
    /// Appended to the export's prefix, e.g. `.tokenizer.json` or `.tokenizer/tokenizer.json`.
    public var suffix: String
    /// The file's contents.
    public var bytes: [UInt8]

    /// Creates a companion file.
    public init(suffix: String, bytes: [UInt8]) {
        self.suffix = suffix
        self.bytes = bytes
    }
}

/// A compressor whose view the reference trainer reads in a form of its own: it names the field,
/// computes its value per document, and lists the files the reference needs beside the export.
public protocol ReferenceJSONLConvertible: Compressor {
    /// The field this compressor writes.
    var referenceJSONLField: ReferenceJSONLField { get }

    /// The field's value for one document (not called when the field has no name).
    /// - Throws: `CodecError` from encoding, or when a symbol cannot be written in the field's form.
    func referenceJSONLValue(for document: [UInt8]) throws -> ReferenceJSONLValue

    /// Files to write beside the export (default: none).
    /// - Throws: when a companion cannot be produced.
    func referenceJSONLCompanions() throws -> [ReferenceJSONLCompanion]
}

extension ReferenceJSONLConvertible {
    /// No companion files.
    public func referenceJSONLCompanions() throws -> [ReferenceJSONLCompanion] { [] }
}
