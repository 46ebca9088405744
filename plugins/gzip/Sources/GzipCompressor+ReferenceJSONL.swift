import WorkbenchCore

/// The reference trainer gzips `text` itself (mtime 0), so a gzip view adds no field.
extension GzipCompressor: ReferenceJSONLConvertible {
    public var referenceJSONLField: ReferenceJSONLField {
        ReferenceJSONLField(name: nil, encoding: "none: the reference compresses the text on the fly (gzip, mtime 0)")
    }

    public func referenceJSONLValue(for document: [UInt8]) throws -> ReferenceJSONLValue {
        ReferenceJSONLValue(json: "null", symbols: 0)
    }
}
