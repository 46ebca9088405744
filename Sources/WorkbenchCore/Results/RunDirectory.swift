import Foundation

/// The folder one comparison writes: config.json, environment.json, results.json, report.md, ...
///
/// A directory "holds a run" when it has a results.json or config.json; the workbench refuses to
/// write into one unless forced, so an earlier run is never silently mixed with a new one. Every
/// file is written atomically and results.json last, so a results.json that exists is complete.
public struct RunDirectory: Sendable {
    /// The folder.
    public var path: String

    /// Files whose presence means a run is already there.
    public static let markerFiles = ["results.json", "config.json"]

    /// Creates a handle (nothing is touched until `prepare`).
    public init(path: String) { self.path = path }

    /// Creates the folder, or checks an existing one.
    /// - Throws: `WorkbenchError` when it already holds a run and `force` is false, or it cannot be
    ///   created or written.
    public func prepare(force: Bool) throws(WorkbenchError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw WorkbenchError("output '\(path)' exists and is not a directory; choose another --out")
            }
            let existing = RunDirectory.markerFiles.filter { manager.fileExists(atPath: file($0)) }
            if !existing.isEmpty && !force {
                throw WorkbenchError(
                    "output directory '\(path)' already holds a run (\(existing.joined(separator: ", "))); choose another --out or pass --force to replace it"
                )
            }
        } else {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw WorkbenchError("cannot create output directory '\(path)': \(error.localizedDescription)")
            }
        }
        guard manager.isWritableFile(atPath: path) else {
            throw WorkbenchError("output directory '\(path)' is not writable; choose another --out")
        }
    }

    /// The path of a file inside the run directory.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}
