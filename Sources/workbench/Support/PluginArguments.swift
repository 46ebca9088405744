import ArgumentParser
import Foundation

/// `--plugins-dir`: more folders of external plugins, for every command that builds compressors.
struct PluginArguments: ParsableArguments {
    @Option(
        name: .customLong("plugins-dir"),
        help: ArgumentHelp(
            "A folder of external plugins (<id>/plugin.json), or one plugin's folder; repeatable.", valueName: "dir"))
    var pluginDirectories: [String] = []

    /// Makes the folders visible to the registry and to child processes.
    func apply() {
        guard !pluginDirectories.isEmpty else { return }
        let absolute = pluginDirectories.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let existing = ProcessInfo.processInfo.environment[BuiltinsRegistry.environmentKey].map { [$0] } ?? []
        setenv(BuiltinsRegistry.environmentKey, (existing + absolute).joined(separator: ":"), 1)
    }
}
