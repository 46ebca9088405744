import Foundation
import WorkbenchCore

/// Skeletons for a new compressor, behind `workbench plugins new NAME --external|--swift`.
///
/// Both skeletons are working identity compressors (symbols = bytes), so the newcomer starts
/// from something that passes the conformance suite and changes one function at a time.
public enum PluginScaffold {
    /// Which kind of plugin to create.
    public enum Kind: String, Sendable, CaseIterable {
        /// `<into>/<name>/plugin.json`, `plugin.py`, `README.md`: an out-of-process Python plugin.
        case external
        /// `<into>/<name>/Sources/<Name>Compressor.swift`, `<Name>Plugin.swift`, `README.md`:
        /// an in-tree Swift plugin, plus the Package.swift and Builtins lines to add by hand.
        case swift
    }

    /// What `scaffold` wrote and what the user does next.
    public struct Result: Sendable, Equatable {
        /// Absolute paths of the files created.
        public var createdFiles: [String]
        /// Steps to print: lines to paste into Package.swift and Builtins.swift, commands to run.
        public var nextSteps: String
    }

    /// Writes a new plugin skeleton named `name` into `directory` (for external plugins normally
    /// `plugins/external`, for Swift plugins `plugins`).
    /// - Throws: `WorkbenchError` for a name that is not a CLI id, an existing folder, or a
    ///   failed write.
    public static func scaffold(name: String, kind: Kind, into directory: String) throws(WorkbenchError) -> Result {
        guard !name.isEmpty, name.first?.isLetter == true,
            name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
        else {
            throw WorkbenchError(
                "plugin name '\(name)' must start with a letter and use lowercase letters, digits, '-' or '_' (it becomes the CLI id)"
            )
        }
        let folder = PluginManifest.join(PluginManifest.absolutePath(directory), name)
        guard !FileManager.default.fileExists(atPath: folder) else {
            throw WorkbenchError("\(folder) already exists; pick another name or remove it")
        }
        let typeName = name.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
        let files: [(path: String, text: String, executable: Bool)]
        let nextSteps: String
        switch kind {
        case .external:
            files = [
                ("plugin.json", ScaffoldTemplates.externalManifest, false),
                ("plugin.py", ScaffoldTemplates.externalPython, true),
                ("README.md", ScaffoldTemplates.externalReadme, false),
            ]
            nextSteps = """
                Created \(folder). It is an identity compressor that already passes the conformance suite.
                1. Put your compressor in encode() and decode() in \(folder)/plugin.py.
                2. Declare its options in plugin.json and read them in main().
                3. Try it: workbench compare --compressors bytes,\(name)
                   (a folder outside plugins/external needs --plugins-dir \(directory)).
                """
        case .swift:
            files = [
                ("Sources/\(typeName)Compressor.swift", ScaffoldTemplates.swiftCompressor, false),
                ("Sources/\(typeName)Plugin.swift", ScaffoldTemplates.swiftEntry, false),
                ("README.md", ScaffoldTemplates.swiftReadme, false),
            ]
            nextSteps = """
                Created \(folder). Two more lines make it part of the workbench:
                1. Package.swift, under "MARK: Plugins":
                       .target(name: "\(typeName)Plugin", dependencies: ["WorkbenchCore"], path: "plugins/\(name)/Sources"),
                   and add "\(typeName)Plugin" to the dependencies of the "Builtins" target.
                2. Sources/Builtins/Builtins.swift: `import \(typeName)Plugin`, then the row
                       \(typeName)Plugin.entry,
                Then `swift build && swift test --filter ConformanceTests` holds it to the contract.
                """
        }
        var created: [String] = []
        for file in files {
            let path = PluginManifest.join(folder, file.path)
            let text = file.text
                .replacingOccurrences(of: "{{ID}}", with: name)
                .replacingOccurrences(of: "{{TYPE}}", with: typeName)
            do {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                if file.executable {
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
                }
            } catch {
                throw WorkbenchError("cannot write \(path): \(error.localizedDescription)")
            }
            created.append(path)
        }
        return Result(createdFiles: created, nextSteps: nextSteps)
    }
}
