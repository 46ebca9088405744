import Foundation
import WorkbenchCore

/// Small JSON helpers for command output.
enum JSONText {
    /// Pretty, key-sorted JSON of a Foundation object.
    static func serialize(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// One `workbench encode` line: `{"source": …, "symbols": [...], "spans": [[s0, s1, b0, b1], ...]}`,
    /// each span saying that symbols s0..<s1 stand for bytes b0..<b1 (the order of the external
    /// plugin protocol's spans), so a span of several symbols says which ones.
    /// Built by hand: JSONSerialization boxes every number and is ten times slower on big corpora.
    static func encodedLine(source: String, encoded: EncodedDocument) -> String {
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
                line += "[\(span.symbols.lowerBound),\(span.symbols.upperBound),\(span.bytes.lowerBound),\(span.bytes.upperBound)]"
            }
            line += "]"
        }
        return line + "}"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String { JSONString.literal(text) }
}
