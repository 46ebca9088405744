/// One option a plugin accepts: its name, what values are allowed, its default and its meaning.
public struct OptionSpec: Sendable {
    /// The values an option takes.
    public enum Domain: Sendable {
        /// A whole number in a closed range.
        case integer(ClosedRange<Int>)
        /// One of a fixed list of words.
        case choice([String])
        /// Free text, such as a path.
        case text
    }

    /// The key in `id:key=value`.
    public var name: String
    /// The allowed values.
    public var domain: Domain
    /// The value used when the spec omits the option; nil means "unset" (e.g. no dictionary).
    public var defaultValue: String?
    /// One line for `workbench plugins` and `--help`.
    public var help: String

    /// Creates an option.
    public init(_ name: String, _ domain: Domain, default defaultValue: String?, help: String) {
        self.name = name
        self.domain = domain
        self.defaultValue = defaultValue
        self.help = help
    }

    /// How the allowed values read in help text: `1..22`, `gzip|zlib|raw`, `text`.
    public var domainDescription: String {
        switch domain {
        case .integer(let range): return "\(range.lowerBound)..\(range.upperBound)"
        case .choice(let words): return words.joined(separator: "|")
        case .text: return "text"
        }
    }

    func validate(_ value: String, compressor: String) throws(WorkbenchError) {
        guard !value.isEmpty else {
            throw WorkbenchError.usage(
                "\(compressor): option '\(name)=' has an empty value; give \(name)=VALUE (\(domainDescription)) or leave the option out for its default"
            )
        }
        switch domain {
        case .integer(let range):
            guard let number = Int(value) else {
                throw WorkbenchError.usage(
                    "\(compressor): option '\(name)=\(value)' is not a whole number; use a whole number in \(domainDescription)")
            }
            guard range.contains(number) else {
                throw WorkbenchError.usage(
                    "\(compressor): option '\(name)=\(value)' is out of range; use a whole number in \(domainDescription)")
            }
        case .choice(let words):
            guard words.contains(value) else {
                throw WorkbenchError.usage(
                    "\(compressor): option '\(name)=\(value)' is not allowed; use one of \(domainDescription)")
            }
        case .text: break
        }
    }
}

/// Option values checked against a plugin's `OptionSpec`s, with defaults filled in.
public struct ResolvedOptions: Sendable, Equatable {
    /// Every option that has a value, by name.
    public private(set) var values: [String: String]

    /// Validates `given` against `specs`, fills defaults.
    /// - Throws: `WorkbenchError` for an unknown option (listing the known ones) or a bad value.
    public init(_ given: [String: String], specs: [OptionSpec], compressor: String) throws(WorkbenchError) {
        var values: [String: String] = [:]
        for key in given.keys.sorted() where !specs.contains(where: { $0.name == key }) {
            let known = specs.map(\.name)
            throw WorkbenchError.usage(
                "\(compressor): unknown option '\(key)'; "
                    + (known.isEmpty ? "this compressor takes no options" : "known options: \(known.joined(separator: ", "))"))
        }
        for spec in specs {
            if let value = given[spec.name] {
                try spec.validate(value, compressor: compressor)
                values[spec.name] = value
            } else if let fallback = spec.defaultValue {
                values[spec.name] = fallback
            }
        }
        self.values = values
    }

    /// Creates options from already-validated values (tests, programmatic use).
    public init(values: [String: String]) { self.values = values }

    /// The integer value of a validated integer option, or nil when unset.
    public func integer(_ name: String) -> Int? { values[name].flatMap { Int($0) } }

    /// The text value of an option, or nil when unset.
    public func text(_ name: String) -> String? { values[name] }
}
