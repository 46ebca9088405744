import Foundation

/// Parses one JSON Lines record: a JSON object with the document in a string field.
enum JSONLines {
    /// The text of `textField` in one line, or why the line is not a document.
    static func parse(_ line: Data, textField: String) -> Result<String, WorkbenchError> {
        let object: Any
        do {
            // Fragments allowed, so a line holding `42` is named for what it is.
            object = try JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])
        } catch {
            return .failure(WorkbenchError("not valid JSON"))
        }
        guard let record = object as? [String: Any] else {
            return .failure(
                WorkbenchError(
                    "valid JSON but not an object (\(kind(of: line))); each line must be an object such as {\"\(textField)\": \"...\"}"
                ))
        }
        guard let value = record[textField] else {
            return .failure(WorkbenchError("no field '\(textField)'"))
        }
        guard let text = value as? String else {
            return .failure(WorkbenchError("field '\(textField)' is not a string"))
        }
        return .success(text)
    }

    /// What a line of valid JSON that is not an object holds, in words (from its first byte).
    static func kind(of line: Data) -> String {
        switch line.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0d }) {
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        default: return "a number"
        }
    }
}
