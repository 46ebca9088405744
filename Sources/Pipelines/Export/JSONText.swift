import Foundation
import WorkbenchCore

/// Small JSON helpers for command output.
public enum JSONText {
    /// Pretty, key-sorted JSON of a Foundation object.
    /// - Throws: `WorkbenchError` naming every field that is NaN or infinite (JSON has no such
    ///   numbers, and `JSONSerialization` would fail with an opaque error), or what else makes the
    ///   object unserializable.
    public static func serialize(_ object: Any) throws -> String {
        let bad = nonFiniteFields(object, path: "")
        guard bad.isEmpty else {
            throw WorkbenchError(
                "cannot print the result: \(bad.joined(separator: ", ")), which JSON cannot hold; the computation diverged (a model with NaN or infinite weights, or no data to average)"
            )
        }
        guard JSONSerialization.isValidJSONObject(object) else {
            throw WorkbenchError("cannot print the result: it holds a value JSON cannot represent")
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// "'field' is nan" for every non-finite number in a Foundation object, by key path.
    static func nonFiniteFields(_ object: Any, path: String) -> [String] {
        switch object {
        case let dictionary as [String: Any]:
            return dictionary.keys.sorted().flatMap { key in
                nonFiniteFields(dictionary[key] as Any, path: path.isEmpty ? key : path + "." + key)
            }
        case let array as [Any]:
            return array.enumerated().flatMap { nonFiniteFields($1, path: "\(path)[\($0)]") }
        case let number as Double where !number.isFinite:
            return ["'\(path)' is \(number)"]
        case let number as Float where !number.isFinite:
            return ["'\(path)' is \(number)"]
        default:
            return []
        }
    }

    /// One `workbench encode` line: `{"source": …, "symbols": [...], "spans": [[s0, s1, b0, b1], ...]}`,
    /// each span saying that symbols s0..<s1 stand for bytes b0..<b1 (the order of the external
    /// plugin protocol's spans), so a span of several symbols says which ones.
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
                line +=
                    "[\(span.symbols.lowerBound),\(span.symbols.upperBound),\(span.bytes.lowerBound),\(span.bytes.upperBound)]"
            }
            line += "]"
        }
        return line + "}"
    }

    /// A JSON string literal.
    public static func quoted(_ text: String) -> String { JSONString.literal(text) }
}
