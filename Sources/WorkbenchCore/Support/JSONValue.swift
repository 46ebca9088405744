import Foundation

/// Any JSON value, for embedding documents whose shape this module does not own (a run's
/// config and environment inside results.json) without losing a field.
public enum JSONValue: Sendable, Codable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Converts any Encodable value (via JSON).
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Flattened `key.path = value` lines, sorted, for display.
    public func flattened(prefix: String = "") -> [(String, String)] {
        switch self {
        case .object(let members):
            return members.keys.sorted().flatMap { key in
                members[key]?.flattened(prefix: prefix.isEmpty ? key : "\(prefix).\(key)") ?? []
            }
        case .array(let items):
            if items.allSatisfy({ if case .object = $0 { return false } else { return true } }) {
                return [(prefix, "[" + items.map(\.text).joined(separator: ", ") + "]")]
            }
            return items.enumerated().flatMap { $0.element.flattened(prefix: "\(prefix)[\($0.offset)]") }
        default:
            return [(prefix, text)]
        }
    }

    /// The value as plain text.
    public var text: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): return value
        case .array, .object: return flattened().map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
        }
    }
}
