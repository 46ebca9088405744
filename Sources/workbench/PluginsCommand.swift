import ArgumentParser
import ExternalPluginHost
import Pipelines
import WorkbenchCore

/// `workbench plugins`: what is installed, and scaffolding for new plugins.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List every compressor (built-in and external), or scaffold a new one.",
        subcommands: [ListPlugins.self, NewPlugin.self, PluginsCheckCommand.self], defaultSubcommand: ListPlugins.self)
}

/// `workbench plugins [list]`: every registered compressor with its options, defaults and version.
struct ListPlugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every registered compressor, its options and defaults, and its library version.")

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let registry = try BuiltinsRegistry.shared
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
                row["trains"] = entry.trainer != nil
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

/// `workbench plugins new NAME --external|--swift`: a working skeleton to start from.
struct NewPlugin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Scaffold a new compressor: an external plugin (any language) or an in-tree Swift one.",
        discussion: """
            --external writes plugins/external/NAME/ (plugin.json, plugin.py, README.md): a working identity \
            compressor over the protocol in plugins/external/PROTOCOL.md. --swift writes plugins/NAME/ and prints \
            the Package.swift target and the Builtins row to add. See plugins/README.md.
            """)

    @Argument(help: "The new compressor's id (lowercase letters, digits, '-').")
    var name: String

    @Flag(help: "Which kind of plugin to create.")
    var kind: PluginScaffold.Kind

    @Option(help: ArgumentHelp("Where to create it (default plugins/external or plugins).", valueName: "dir"))
    var into: String?

    func run() throws {
        let directory = into ?? (kind == .external ? "plugins/external" : "plugins")
        let result = try PluginScaffold.scaffold(name: name, kind: kind, into: directory)
        for file in result.createdFiles { print("created \(file)") }
        print(result.nextSteps)
    }
}

extension PluginScaffold.Kind: EnumerableFlag {}
