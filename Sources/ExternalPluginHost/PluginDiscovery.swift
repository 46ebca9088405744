import Foundation
import WorkbenchCore

/// What a search of plugin folders found: the manifests that can be used, and the ones that
/// cannot, each with the reason.
///
/// Why both: one bad manifest in a folder of plugins must not take the others down. A bad one is
/// reported (a warning naming its file) and its id, where it can be told, is remembered, so that
/// asking for that plugin fails with the reason instead of "unknown compressor".
public struct PluginDiscovery: Sendable {
    /// A manifest that cannot be used.
    public struct Problem: Sendable, Equatable {
        /// The id it would have had (its `id` field, else its folder's name), when one can be told.
        public var id: String?
        /// The manifest file.
        public var path: String
        /// What is wrong, beginning with the file.
        public var message: String
    }

    /// Usable manifests, in discovery order (folders as given, subfolders by name).
    public var manifests: [PluginManifest] = []
    /// Manifests that cannot be used.
    public var problems: [Problem] = []

    /// Registry rows for the usable manifests.
    public var entries: [CompressorEntry] { manifests.map(ExternalPlugins.entry(for:)) }

    /// Reads every manifest in `directories` (see `ExternalPlugins.discover`), keeping the bad
    /// ones as problems instead of stopping at the first. Two manifests with one id are both
    /// problems: which one a user meant cannot be told.
    /// - Throws: `WorkbenchError` only for a directory that does not exist (unless `skipMissing`).
    public init(searching directories: [String], skipMissing: Bool = false) throws(WorkbenchError) {
        try self.init(searching: directories.map { (path: $0, mayBeMissing: skipMissing) })
    }

    /// Reads every manifest in `folders` in order, as `init(searching:skipMissing:)`, with a
    /// choice per folder: a missing one is skipped when it `mayBeMissing`, else refused.
    public init(searching folders: [(path: String, mayBeMissing: Bool)]) throws(WorkbenchError) {
        var found: [PluginManifest] = []
        for (directory, mayBeMissing) in folders {
            let root = PluginManifest.absolutePath(directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                if mayBeMissing { continue }
                throw WorkbenchError("plugins directory \(root) does not exist; pass a folder holding <id>/plugin.json files")
            }
            let own = PluginManifest.join(root, ExternalPlugins.manifestName)
            var paths: [String] = []
            if FileManager.default.fileExists(atPath: own) {
                paths = [own]
            } else {
                let children = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
                for child in children where !child.hasPrefix(".") {
                    let path = PluginManifest.join(PluginManifest.join(root, child), ExternalPlugins.manifestName)
                    if FileManager.default.fileExists(atPath: path) { paths.append(path) }
                }
            }
            for path in paths {
                do {
                    found.append(try PluginManifest.load(path: path))
                } catch {
                    problems.append(Problem(id: Self.probableID(path), path: path, message: error.message))
                }
            }
        }
        let byID = Dictionary(grouping: found, by: \.id)
        for manifest in found {
            guard let all = byID[manifest.id], all.count > 1 else {
                manifests.append(manifest)
                continue
            }
            let others = all.filter { $0.path != manifest.path }.map(\.path).joined(separator: " and ")
            problems.append(
                Problem(
                    id: manifest.id, path: manifest.path,
                    message: "\(manifest.path): external plugin id '\(manifest.id)' is also declared by \(others); rename one"))
        }
    }

    /// The id a broken manifest was meant to have: its `id` field if that much can be read, else
    /// its folder's name (the convention), when either is a valid id.
    static func probableID(_ path: String) -> String? {
        func valid(_ id: String) -> Bool {
            !id.isEmpty && id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        }
        if let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let id = object["id"] as? String
        {
            return valid(id) ? id : nil
        }
        let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return valid(folder) ? folder : nil
    }
}
