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

    /// Registry rows for every plugin in `directories`, refusing any bad manifest (for tools and
    /// tests that want all or nothing; commands use `registry(_:searching:given:warn:)`, which
    /// skips bad manifests).
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
        let discovery = try PluginDiscovery(searching: directories, skipMissing: skipMissing)
        if let problem = discovery.problems.first { throw WorkbenchError(problem.message) }
        return discovery.entries
    }

    /// The registry every command uses: `builtins`, then the plugins found in `defaults` (folders
    /// that may be missing, such as the checkout's `plugins/external`) and in `given` (folders the
    /// user named, which must exist).
    ///
    /// A manifest that cannot be used is skipped with a warning naming its file, and its id is
    /// remembered as unavailable: a command that asks for it fails with the reason, every other
    /// command runs. An external plugin with a built-in's id is skipped the same way (the built-in
    /// keeps the id).
    /// - Parameter warn: receives one line per skipped manifest.
    /// - Throws: `WorkbenchError` for a `given` folder that does not exist.
    public static func registry(
        _ builtins: CompressorRegistry, searching defaults: [String], given: [String], warn: (String) -> Void
    ) throws(WorkbenchError) -> CompressorRegistry {
        let discovery = try PluginDiscovery(
            searching: defaults.map { (path: $0, mayBeMissing: true) } + given.map { (path: $0, mayBeMissing: false) })
        return assemble(builtins, discovery, warn: warn)
    }

    /// The built-in rows followed by external ones, refusing an external id that another
    /// compressor already has (`CompressorRegistry.init` treats duplicates as a programming
    /// error and traps, and a manifest is user input).
    /// - Throws: `WorkbenchError` naming both compressors.
    public static func registry(
        _ builtins: CompressorRegistry, adding external: [CompressorEntry]
    ) throws(WorkbenchError) -> CompressorRegistry {
        var seen = Dictionary(builtins.entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in external {
            if let other = seen[entry.id] {
                throw WorkbenchError(clash(entry.summary, with: other))
            }
            seen[entry.id] = entry
        }
        return CompressorRegistry(builtins.entries + external, unavailable: builtins.unavailable)
    }

    /// The registry row for one manifest.
    public static func entry(for manifest: PluginManifest) -> CompressorEntry {
        let summary =
            (manifest.description.isEmpty ? "external plugin" : manifest.description)
            + " (external: \(manifest.path))"
        return CompressorEntry(
            id: manifest.id, displayName: manifest.displayName, summary: summary, options: manifest.options,
            library: { libraryOfRunningPlugin(manifest) },
            conformanceOptions: manifest.conformanceOptions
        ) { options, _ in
            try ExternalCompressor(manifest: manifest, options: options)
        }
    }

    // MARK: Internals

    private static func assemble(
        _ builtins: CompressorRegistry, _ discovery: PluginDiscovery, warn: (String) -> Void
    ) -> CompressorRegistry {
        var unavailable = builtins.unavailable
        var entries = builtins.entries
        var ids = Set(builtins.ids)
        for problem in discovery.problems {
            warn("skipping an external plugin: \(problem.message)")
            if let id = problem.id, !ids.contains(id) {
                unavailable[id] = unavailable[id].map { $0 + "; " + problem.message } ?? problem.message
            }
        }
        for manifest in discovery.manifests {
            let entry = entry(for: manifest)
            if let other = entries.first(where: { $0.id == manifest.id }) {
                warn("skipping an external plugin: " + clash("\(manifest.path)", with: other))
                continue
            }
            ids.insert(manifest.id)
            entries.append(entry)
        }
        return CompressorRegistry(entries, unavailable: unavailable)
    }

    /// "external plugin 'zstd' (PATH) has the id of the compressor 'zstd' (Zstandard: ...)".
    private static func clash(_ what: String, with other: CompressorEntry) -> String {
        "external plugin '\(other.id)' (\(what)) has the id of the compressor '\(other.id)' "
            + "(\(other.displayName): \(other.summary)); change \"id\" in its plugin.json"
    }

    /// The library the plugin reports in its `ready` reply with default options: a `hello` and
    /// nothing else (no self-test), or nil when it cannot be started.
    private static func libraryOfRunningPlugin(_ manifest: PluginManifest) -> (name: String, version: String)? {
        guard let options = try? ResolvedOptions([:], specs: manifest.options, compressor: manifest.id) else { return nil }
        let pool = PluginPool.shared(for: manifest)
        let handshake = try? pool.withSession(options: options.values) { session throws(CodecError) in session.handshake }
        return handshake?.reportedLibrary
    }
}
