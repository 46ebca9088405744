import Foundation
import WorkbenchCore

/// The reference trainer reads an `ac` view as `m1_ac_ow<b>`: base64 of the 9-bit stream
/// (`ReferenceExport`).
extension ACCompressor: ReferenceJSONLConvertible {
    public var referenceJSONLField: ReferenceJSONLField {
        ReferenceJSONLField(
            name: ReferenceExport.fieldName(windowBits: descriptor.options["window"].flatMap { Int($0) } ?? 0),
            encoding: "base64 of 9-bit values packed LSB-first: 0..255 raw bytes, 256+b compressed byte b")
    }

    public func referenceJSONLValue(for document: [UInt8]) throws -> ReferenceJSONLValue {
        let encoded = try encode(document)
        let field = try ReferenceExport.m1ACField(encoded, descriptor: descriptor)
        return ReferenceJSONLValue(json: "\"" + field.value + "\"", symbols: encoded.symbols.count)
    }
}
