import WorkbenchCore

extension ProtocolHeader {
    /// The header as JSON text, keys in a fixed order, absent fields left out.
    /// Written by hand: Foundation's JSONEncoder took over a microsecond per number, and a batch's
    /// header holds one or two numbers per document.
    var json: [UInt8] {
        var out: [UInt8] = []
        // Room for the longest numbers, as `appendNumbers` makes before cutting it to size.
        out.reserveCapacity(
            256 + 21 * ((lengths?.count ?? 0) + (counts?.count ?? 0) + (maxOutputBytes?.count ?? 0) + (spanCounts?.count ?? 0)))
        var first = true
        func key(_ name: String) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(contentsOf: "\"\(name)\":".utf8)
        }
        func text(_ value: String) { out.append(contentsOf: JSONString.literal(value).utf8) }
        func number(_ value: Int) { Self.appendDecimal(value, to: &out) }
        func numbers(_ name: String, _ values: [Int]?) {
            guard let values else { return }
            key(name)
            Self.appendNumbers(values, to: &out)
        }
        func texts(_ name: String, _ values: [String]?) {
            guard let values else { return }
            key(name)
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                text(value)
            }
            out.append(UInt8(ascii: "]"))
        }
        func optional(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            text(value)
        }
        func optional(_ name: String, _ value: Int?) {
            guard let value else { return }
            key(name)
            number(value)
        }
        func optional(_ name: String, _ value: Bool?) {
            guard let value else { return }
            key(name)
            out.append(contentsOf: (value ? "true" : "false").utf8)
        }

        key("type")
        text(type)
        optional("id", id)
        optional("protocol_version", protocolVersion)
        optional("compressor", compressor)
        if let options {
            key("options")
            out.append(UInt8(ascii: "{"))
            for (index, name) in options.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                text(name)
                out.append(UInt8(ascii: ":"))
                text(options[name] ?? "")
            }
            out.append(UInt8(ascii: "}"))
        }
        texts("accepted_options", acceptedOptions)
        optional("name", name)
        optional("version", version)
        optional("library_name", libraryName)
        optional("library_version", libraryVersion)
        optional("alphabet_size", alphabetSize)
        optional("passes_raw_bytes_through", passesRawBytesThrough)
        optional("gives_spans", givesSpans)
        numbers("lengths", lengths)
        numbers("counts", counts)
        numbers("span_counts", spanCounts)
        numbers("max_output_bytes", maxOutputBytes)
        if let errors {
            key("errors")
            out.append(UInt8(ascii: "["))
            for (index, error) in errors.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard let error else {
                    out.append(contentsOf: "null".utf8)
                    continue
                }
                out.append(contentsOf: "{\"kind\":".utf8)
                text(error.kind)
                out.append(contentsOf: ",\"message\":".utf8)
                text(error.message)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        optional("kind", kind)
        optional("message", message)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `value` in decimal without building a String (or an array to hold it).
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        appendNumbers(CollectionOfOne(value), bracketed: false, to: &out)
    }

    /// Appends `[v0,v1,...]`, a JSON array of whole numbers. A batch's header holds one or two
    /// per document, so they are written straight into room made for the longest numbers, then
    /// the rest is cut: appending digit by digit took most of the time of writing such a header.
    static func appendNumbers(_ values: some Collection<Int>, bracketed: Bool = true, to out: inout [UInt8]) {
        // "-9223372036854775808," is the longest a number and its comma can be.
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 2 + 21 * values.count))
        let end = out.withUnsafeMutableBufferPointer { buffer in
            var at = start
            if bracketed {
                buffer[at] = UInt8(ascii: "[")
                at += 1
            }
            for (index, value) in values.enumerated() {
                if index > 0 {
                    buffer[at] = UInt8(ascii: ",")
                    at += 1
                }
                if value < 0 {
                    buffer[at] = UInt8(ascii: "-")
                    at += 1
                }
                // Subtle: the magnitude of Int.min does not fit an Int, so digits come from UInt.
                var rest = value.magnitude
                var digits = 1
                var probe = rest
                while probe >= 10 {
                    probe /= 10
                    digits += 1
                }
                at += digits
                var digit = at
                repeat {
                    digit -= 1
                    buffer[digit] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                } while rest > 0
            }
            if bracketed {
                buffer[at] = UInt8(ascii: "]")
                at += 1
            }
            return at
        }
        out.removeSubrange(end...)
    }

    /// Reads a header from JSON text. Unknown fields are ignored; a field that is null counts as
    /// absent.
    /// - Throws: `ProtocolViolation` with a one-line reason: not JSON (with line and column),
    ///   not an object, a missing `type`, a field of the wrong type.
    init(json bytes: [UInt8]) throws(ProtocolViolation) {
        let value: StrictJSON.Value
        do {
            value = try StrictJSON.parse(bytes)
        } catch {
            throw ProtocolViolation("not JSON: \(error.description)")
        }
        guard case .object(let fields) = value else { throw ProtocolViolation("not a JSON object") }
        let reader = FieldReader(fields: fields)
        guard let type = try reader.string("type") else { throw ProtocolViolation("missing field 'type'") }
        self.init(type: type, id: try reader.integer("id"))
        protocolVersion = try reader.integer("protocol_version")
        compressor = try reader.string("compressor")
        options = try reader.stringMap("options")
        acceptedOptions = try reader.strings("accepted_options")
        name = try reader.string("name")
        version = try reader.string("version")
        libraryName = try reader.string("library_name")
        libraryVersion = try reader.string("library_version")
        alphabetSize = try reader.integer("alphabet_size")
        passesRawBytesThrough = try reader.bool("passes_raw_bytes_through")
        givesSpans = try reader.bool("gives_spans")
        lengths = try reader.integers("lengths")
        counts = try reader.integers("counts")
        spanCounts = try reader.integers("span_counts")
        maxOutputBytes = try reader.integers("max_output_bytes")
        errors = try reader.itemErrors("errors")
        kind = try reader.string("kind")
        message = try reader.string("message")
    }

    /// Typed access to a header's fields, each mistake named by field.
    private struct FieldReader {
        let fields: [String: StrictJSON.Value]

        func present(_ key: String) -> StrictJSON.Value? {
            guard let value = fields[key], value != .null else { return nil }
            return value
        }

        func wrongType(_ key: String, _ expected: String) -> ProtocolViolation {
            ProtocolViolation("field '\(key)' has the wrong type (expected \(expected))")
        }

        func string(_ key: String) throws(ProtocolViolation) -> String? {
            guard let value = present(key) else { return nil }
            guard case .string(let text) = value else { throw wrongType(key, "a string") }
            return text
        }

        func integer(_ key: String) throws(ProtocolViolation) -> Int? {
            guard let value = present(key) else { return nil }
            guard let number = Self.integer(value) else { throw wrongType(key, "a whole number") }
            return number
        }

        func bool(_ key: String) throws(ProtocolViolation) -> Bool? {
            guard let value = present(key) else { return nil }
            guard case .bool(let flag) = value else { throw wrongType(key, "true or false") }
            return flag
        }

        func integers(_ key: String) throws(ProtocolViolation) -> [Int]? {
            guard let value = present(key) else { return nil }
            guard case .array(let items) = value else { throw wrongType(key, "an array of whole numbers") }
            var numbers: [Int] = []
            numbers.reserveCapacity(items.count)
            for item in items {
                guard let number = Self.integer(item) else { throw wrongType(key, "an array of whole numbers") }
                numbers.append(number)
            }
            return numbers
        }

        func strings(_ key: String) throws(ProtocolViolation) -> [String]? {
            guard let value = present(key) else { return nil }
            guard case .array(let items) = value else { throw wrongType(key, "an array of strings") }
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw wrongType(key, "an array of strings") }
                texts.append(text)
            }
            return texts
        }

        func stringMap(_ key: String) throws(ProtocolViolation) -> [String: String]? {
            guard let value = present(key) else { return nil }
            guard case .object(let members) = value else { throw wrongType(key, "an object of strings") }
            var map: [String: String] = [:]
            for (name, member) in members {
                guard case .string(let text) = member else { throw wrongType(key, "an object of strings") }
                map[name] = text
            }
            return map
        }

        func itemErrors(_ key: String) throws(ProtocolViolation) -> [ItemError?]? {
            guard let value = present(key) else { return nil }
            guard case .array(let items) = value else { throw wrongType(key, "an array of error items or nulls") }
            var errors: [ItemError?] = []
            errors.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .null:
                    errors.append(nil)
                case .object(let members):
                    guard case .string(let kind) = members["kind"], case .string(let message) = members["message"] else {
                        throw wrongType(key, "error items with \"kind\" and \"message\" strings")
                    }
                    errors.append(ItemError(kind: kind, message: message))
                default:
                    throw wrongType(key, "an array of error items or nulls")
                }
            }
            return errors
        }

        /// A whole number: an integer literal, or a number with a zero fraction that fits.
        static func integer(_ value: StrictJSON.Value) -> Int? {
            switch value {
            case .integer(let number): return number
            case .number(let number) where number == number.rounded() && abs(number) < 9e15: return Int(number)
            default: return nil
            }
        }
    }
}
