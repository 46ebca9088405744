import Foundation
import WorkbenchCore

/// An external plugin's `plugin.json`: how to start it and what options it takes.
///
/// Read by hand from `JSONSerialization` output rather than `Decodable` so that every mistake
/// is reported as "file, field, what is wrong, what to write instead", which is what a
/// researcher editing JSON needs. The text must be strict JSON (`StrictJSON`), so that it means
/// the same to every reader. The format is described in plugins/external/PROTOCOL.md ("The manifest").
public struct PluginManifest: Sendable {
    /// The manifest format this host reads.
    public static let currentFormat = "workbench.external-plugin/1"

    /// The CLI id (`xz-python`): lowercase letters, digits, `-` and `_`.
    public var id: String
    /// Human-readable name for reports.
    public var displayName: String
    /// One line on what the plugin is, for `workbench plugins`.
    public var description: String
    /// The program to start: a path with a `/` is relative to the manifest's folder, a bare
    /// name (`python3`, `sh`) is looked up on PATH.
    public var command: String
    /// Arguments passed to the program, verbatim; the program runs in the manifest's folder,
    /// so `plugin.py` names the file beside the manifest.
    public var arguments: [String]
    /// The longest the host waits for any one reply (handshake included) before it kills the
    /// plugin. Requests are chunked (`ExternalCompressor.maxRequestBytes`), so this bounds the
    /// time per chunk, not per corpus.
    public var timeoutSeconds: Double
    /// The options the plugin accepts, validated by the host before the plugin sees them.
    public var options: [OptionSpec]
    /// Extra option sets the conformance suite runs.
    public var conformanceOptions: [[String: String]]
    /// How many copies of the plugin may run at once for concurrent callers (1...64, default 1:
    /// a plugin may hold a large model, so parallelism is opted into).
    public var maxProcesses: Int
    /// Absolute path of the folder holding the manifest; the plugin's working directory.
    public var directory: String
    /// Absolute path of the manifest file, for error messages.
    public var path: String

    /// The command as posix_spawn receives it: an absolute path, or a bare name for PATH lookup.
    public var resolvedCommand: String {
        command.contains("/") ? Self.join(directory, command) : command
    }

    /// Reads and validates a manifest.
    /// - Throws: `WorkbenchError` naming the file and the field at fault.
    public static func load(path manifestPath: String) throws(WorkbenchError) -> PluginManifest {
        let absolute = Self.absolutePath(manifestPath)
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw WorkbenchError("\(absolute): cannot read the plugin manifest; check that the file exists and is readable")
        }
        do {
            try StrictJSON.check([UInt8](data))
        } catch {
            throw WorkbenchError(
                "\(absolute): not valid JSON at \(error.description); a manifest is strict JSON (RFC 8259: no trailing "
                    + "commas, comments or repeated fields), see plugins/external/PROTOCOL.md")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw WorkbenchError(
                "\(absolute): not valid JSON (\(error.localizedDescription)); see plugins/external/PROTOCOL.md for the manifest format"
            )
        }
        guard let fields = object as? [String: Any] else {
            throw WorkbenchError("\(absolute): the manifest must be a JSON object")
        }
        var reader = ManifestFields(fields: fields, path: absolute)
        return try reader.manifest(directory: (absolute as NSString).deletingLastPathComponent)
    }

    /// Creates a manifest in code (tests, generated plugins).
    public init(
        id: String, displayName: String, description: String, command: String, arguments: [String],
        timeoutSeconds: Double, options: [OptionSpec], conformanceOptions: [[String: String]],
        directory: String, path: String, maxProcesses: Int = 1
    ) {
        self.id = id
        self.displayName = displayName
        self.description = description
        self.command = command
        self.arguments = arguments
        self.timeoutSeconds = timeoutSeconds
        self.options = options
        self.conformanceOptions = conformanceOptions
        self.maxProcesses = maxProcesses
        self.directory = directory
        self.path = path
    }

    static func absolutePath(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : join(FileManager.default.currentDirectoryPath, path)
        return (joined as NSString).standardizingPath
    }

    static func join(_ directory: String, _ relative: String) -> String {
        guard !relative.hasPrefix("/") else { return relative }
        return ((directory as NSString).appendingPathComponent(relative) as NSString).standardizingPath
    }
}

/// Field-by-field reading of a manifest object, each failure naming the file and field.
private struct ManifestFields {
    let fields: [String: Any]
    let path: String

    mutating func manifest(directory: String) throws(WorkbenchError) -> PluginManifest {
        let known: Set<String> = [
            "format", "id", "display_name", "description", "command", "arguments", "timeout_seconds", "options",
            "conformance_options", "max_processes",
        ]
        for key in fields.keys.sorted() where !known.contains(key) {
            throw fail(key, "is not a manifest field; known fields: \(known.sorted().joined(separator: ", "))")
        }
        if let format = fields["format"] {
            guard let text = format as? String, text == PluginManifest.currentFormat else {
                throw fail("format", "is \(format), this workbench reads \"\(PluginManifest.currentFormat)\"")
            }
        }
        let id = try string("id")
        guard !id.isEmpty, id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
        else {
            throw fail("id", "'\(id)' must be lowercase letters, digits, '-' or '_' (it is the CLI id)")
        }
        let command = try string("command")
        guard !command.isEmpty else { throw fail("command", "is empty; give a program such as \"python3\" or \"./run.sh\"") }
        if command.contains("/") {
            let resolved = PluginManifest.join(directory, command)
            guard FileManager.default.isExecutableFile(atPath: resolved) else {
                throw fail(
                    "command",
                    "'\(command)' is not an executable file at \(resolved) (paths are relative to the manifest's folder; chmod +x it)"
                )
            }
        }
        let arguments = try optionalStrings("arguments") ?? []
        var timeout = 30.0
        if let value = fields["timeout_seconds"] {
            guard let number = value as? NSNumber, !Self.isBoolean(value), number.doubleValue > 0, number.doubleValue <= 86_400
            else {
                throw fail("timeout_seconds", "must be a number of seconds above 0 (and at most a day), not \(value)")
            }
            timeout = number.doubleValue
        }
        var maxProcesses = 1
        if let value = fields["max_processes"] {
            guard let count = Self.integer(value), (1...64).contains(count) else {
                throw fail("max_processes", "must be a whole number from 1 to 64, not \(value)")
            }
            maxProcesses = count
        }
        let options = try optionSpecs()
        var conformance: [[String: String]] = []
        if let value = fields["conformance_options"] {
            guard let list = value as? [Any] else {
                throw fail("conformance_options", "must be a list of objects of option values")
            }
            for (index, item) in list.enumerated() {
                guard let object = item as? [String: Any] else {
                    throw fail("conformance_options[\(index)]", "must be an object such as {\"level\": \"9\"}")
                }
                var set: [String: String] = [:]
                for (key, raw) in object {
                    guard let text = Self.optionText(raw) else {
                        throw fail("conformance_options[\(index)].\(key)", "must be a string or number")
                    }
                    set[key] = text
                }
                do {
                    _ = try ResolvedOptions(set, specs: options, compressor: id)
                } catch {
                    throw fail("conformance_options[\(index)]", error.message)
                }
                conformance.append(set)
            }
        }
        return PluginManifest(
            id: id, displayName: try optionalString("display_name") ?? id,
            description: try optionalString("description") ?? "", command: command, arguments: arguments,
            timeoutSeconds: timeout, options: options, conformanceOptions: conformance, directory: directory, path: path,
            maxProcesses: maxProcesses)
    }

    private func optionSpecs() throws(WorkbenchError) -> [OptionSpec] {
        guard let value = fields["options"] else { return [] }
        guard let list = value as? [Any] else { throw fail("options", "must be a list of option objects") }
        var specs: [OptionSpec] = []
        for (index, item) in list.enumerated() {
            let field = "options[\(index)]"
            guard let object = item as? [String: Any] else {
                throw fail(field, "must be an object with name, type, default, help")
            }
            guard let name = object["name"] as? String, !name.isEmpty,
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
            else {
                throw fail("\(field).name", "must be a word of letters, digits, '_' or '-'")
            }
            guard !specs.contains(where: { $0.name == name }) else { throw fail("\(field).name", "'\(name)' is declared twice") }
            let domain: OptionSpec.Domain
            switch object["type"] as? String {
            case "integer":
                guard let low = Self.integer(object["min"]), let high = Self.integer(object["max"]), low <= high else {
                    throw fail("\(field)", "an integer option needs whole numbers \"min\" <= \"max\"")
                }
                domain = .integer(low...high)
            case "choice":
                guard let choices = object["choices"] as? [String], !choices.isEmpty else {
                    throw fail("\(field).choices", "a choice option needs a non-empty list of strings")
                }
                domain = .choice(choices)
            case "text":
                domain = .text
            default:
                throw fail("\(field).type", "must be \"integer\", \"choice\" or \"text\"")
            }
            var defaultValue: String?
            if let raw = object["default"], !(raw is NSNull) {
                guard let text = Self.optionText(raw) else {
                    throw fail("\(field).default", "must be a string, a number or null")
                }
                defaultValue = text
            }
            let spec = OptionSpec(name, domain, default: defaultValue, help: (object["help"] as? String) ?? "")
            if let defaultValue {
                do {
                    _ = try ResolvedOptions([name: defaultValue], specs: [spec], compressor: "default")
                } catch {
                    throw fail("\(field).default", "'\(defaultValue)' is not in the option's domain \(spec.domainDescription)")
                }
            }
            specs.append(spec)
        }
        return specs
    }

    private func string(_ key: String) throws(WorkbenchError) -> String {
        guard let value = fields[key] else { throw fail(key, "is missing") }
        guard let text = value as? String else { throw fail(key, "must be a string") }
        return text
    }

    private func optionalString(_ key: String) throws(WorkbenchError) -> String? {
        guard let value = fields[key] else { return nil }
        guard let text = value as? String else { throw fail(key, "must be a string") }
        return text
    }

    private func optionalStrings(_ key: String) throws(WorkbenchError) -> [String]? {
        guard let value = fields[key] else { return nil }
        guard let list = value as? [String] else { throw fail(key, "must be a list of strings") }
        return list
    }

    private func fail(_ field: String, _ problem: String) -> WorkbenchError {
        WorkbenchError("\(path): field '\(field)' \(problem)")
    }

    /// True for JSON `true`/`false`. Subtle: `value is Bool` also holds for the numbers 0 and 1
    /// bridged through NSNumber, so booleans are told apart by their `char` encoding.
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c"
    }

    /// A whole number from JSON, refusing fractions, booleans and out-of-range values.
    private static func integer(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        let double = number.doubleValue
        guard double == double.rounded(), abs(double) < 1e15 else { return nil }
        return Int(exactly: double)
    }

    /// An option value written as a string or a number (`"6"` or `6`).
    private static func optionText(_ value: Any) -> String? {
        if let text = value as? String { return text }
        if isBoolean(value) { return nil }
        if let whole = integer(value) { return String(whole) }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }
}
