import Foundation
import WorkbenchCore

/// Small JSON helpers for command output.
public enum JSONText {
    /// Pretty, key-sorted JSON of a Foundation object.
    public static func serialize(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// One `workbench encode` line: `{"source": …, "symbols": [...], "spans": [[start, end], ...]}`.
    /// Built by hand: JSONSerialization boxes every number and is ten times slower on big corpora.
    public static func encodedLine(source: String, encoded: EncodedDocument) -> String {
        var line = "{\"source\":" + quoted(source) + ",\"symbols\":["
        line.reserveCapacity(encoded.symbols.count * 6 + 64)
        for (index, symbol) in encoded.symbols.enumerated() {
            if index > 0 { line += "," }
            line += String(symbol)
        }
        line += "]"
        if let spans = encoded.spans {
            line += ",\"spans\":["
            for (index, span) in spans.enumerated() {
                if index > 0 { line += "," }
                line += "[\(span.bytes.lowerBound),\(span.bytes.upperBound)]"
            }
            line += "]"
        }
        return line + "}"
    }

    /// A JSON string literal.
    public static func quoted(_ text: String) -> String { JSONString.literal(text) }
}
