import Foundation
import WorkbenchCore

/// Finding external plugins and turning them into registry rows.
public enum ExternalPlugins {
    /// The manifest's file name inside each plugin folder.
    public static let manifestName = "plugin.json"

    /// The in-tree folder of external plugins, `<repositoryRoot>/plugins/external`.
    public static func defaultDirectory(repositoryRoot: String) -> String {
        PluginManifest.join(PluginManifest.absolutePath(repositoryRoot), "plugins/external")
    }

    /// Registry rows for every plugin in `directories`.
    ///
    /// Each directory is either one plugin (it holds `plugin.json`) or a folder of plugins (each
    /// subfolder holding a `plugin.json`; others are skipped). Folders are scanned in the order
    /// given, subfolders in name order. Nothing is started: a plugin process runs only when a
    /// compressor is built from its row.
    /// - Parameter skipMissing: when true, a directory that does not exist is ignored (the default
    ///   `plugins/external` of a checkout that has none); an explicit `--plugins-dir` should pass false.
    /// - Throws: `WorkbenchError` for a missing directory, a bad manifest (naming file and field),
    ///   or two plugins with one id (naming both manifests).
    public static func discover(in directories: [String], skipMissing: Bool = false) throws(WorkbenchError) -> [CompressorEntry] {
        var manifests: [PluginManifest] = []
        for directory in directories {
            let root = PluginManifest.absolutePath(directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                if skipMissing { continue }
                throw WorkbenchError("plugins directory \(root) does not exist; pass a folder holding <id>/plugin.json files")
            }
            let own = PluginManifest.join(root, manifestName)
            if FileManager.default.fileExists(atPath: own) {
                manifests.append(try PluginManifest.load(path: own))
                continue
            }
            let children = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
            for child in children where !child.hasPrefix(".") {
                let path = PluginManifest.join(PluginManifest.join(root, child), manifestName)
                guard FileManager.default.fileExists(atPath: path) else { continue }
                manifests.append(try PluginManifest.load(path: path))
            }
        }
        var seen: [String: String] = [:]
        for manifest in manifests {
            if let earlier = seen[manifest.id] {
                throw WorkbenchError(
                    "external plugin id '\(manifest.id)' is declared twice: \(earlier) and \(manifest.path); rename one")
            }
            seen[manifest.id] = manifest.path
        }
        return manifests.map(entry(for:))
    }

    /// The registry row for one manifest.
    public static func entry(for manifest: PluginManifest) -> CompressorEntry {
        let summary =
            (manifest.description.isEmpty ? "external plugin" : manifest.description)
            + " (external: \(manifest.directory))"
        return CompressorEntry(
            id: manifest.id, displayName: manifest.displayName, summary: summary, options: manifest.options,
            conformanceOptions: manifest.conformanceOptions
        ) { options, _ in
            try ExternalCompressor(manifest: manifest, options: options)
        }
    }

    /// The built-in rows followed by external ones, refusing an external id that shadows a
    /// built-in (`CompressorRegistry.init` treats duplicates as a programming error and traps,
    /// and a manifest is user input).
    /// - Throws: `WorkbenchError` naming the clashing id and manifest.
    public static func registry(
        _ builtins: CompressorRegistry, adding external: [CompressorEntry]
    ) throws(WorkbenchError) -> CompressorRegistry {
        var ids = Set(builtins.ids)
        for entry in external {
            guard ids.insert(entry.id).inserted else {
                throw WorkbenchError(
                    "external plugin '\(entry.id)' has the id of another compressor (\(entry.summary)); change \"id\" in its plugin.json"
                )
            }
        }
        return CompressorRegistry(builtins.entries + external)
    }
}
