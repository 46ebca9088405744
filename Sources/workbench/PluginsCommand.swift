import ArgumentParser
import Builtins
import WorkbenchCore

/// `workbench plugins`: every registered compressor with its options, defaults and version.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List every registered compressor, its options and defaults, and its library version.")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let registry = Builtins.registry
        if json {
            var rows: [[String: Any]] = []
            for entry in registry.entries {
                var row: [String: Any] = ["id": entry.id, "name": entry.displayName, "summary": entry.summary]
                if let library = entry.library() { row["library"] = "\(library.name) \(library.version)" }
                row["options"] = entry.options.map { option -> [String: String] in
                    var item = ["name": option.name, "values": option.domainDescription, "help": option.help]
                    if let value = option.defaultValue { item["default"] = value }
                    return item
                }
                rows.append(row)
            }
            print(try JSONText.serialize(rows))
            return
        }
        for entry in registry.entries {
            var heading = "\(entry.id)  \(entry.displayName)"
            if let library = entry.library() { heading += "  (\(library.name) \(library.version))" }
            print(heading)
            print("    \(entry.summary)")
            for option in entry.options {
                let fallback = option.defaultValue.map { "default \($0)" } ?? "default unset"
                print("    \(option.name)=\(option.domainDescription)  \(fallback): \(option.help)")
            }
        }
    }
}
