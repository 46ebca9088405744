import Foundation

/// JSON string literals written by hand, for writers that build JSON text directly because
/// JSONSerialization boxes every value and is an order of magnitude slower on large outputs.
public enum JSONString {
    /// `text` as a JSON string literal: UTF-8 kept as is; quotes, backslashes and control
    /// characters escaped (RFC 8259).
    public static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
