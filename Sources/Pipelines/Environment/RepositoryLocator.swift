import Foundation

/// Finds the workbench's folder (the one holding `corpora/` and `plugins/`) from the working
/// directory or the executable, so an installed binary finds its shipped corpus and plugins.
public enum RepositoryLocator {
    /// Candidate roots in order: `$WORKBENCH_ROOT`, the working directory, parents of the binary
    /// (a checkout's `.build/<config>/workbench`), then `share/workbench` beside the binary's
    /// folder (`make install`: `PREFIX/bin/workbench` reads `PREFIX/share/workbench`).
    public static func candidates() -> [String] {
        var result: [String] = []
        if let root = ProcessInfo.processInfo.environment["WORKBENCH_ROOT"] { result.append(root) }
        result.append(FileManager.default.currentDirectoryPath)
        var executable = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
        ).deletingLastPathComponent()
        let installed = executable.deletingLastPathComponent().appendingPathComponent("share/workbench").path
        for _ in 0..<6 {
            result.append(executable.path)
            executable = executable.deletingLastPathComponent()
        }
        result.append(installed)
        return result
    }

    /// The first candidate that holds `corpora/MANIFEST.json`.
    public static func root() -> String? {
        candidates().first { FileManager.default.fileExists(atPath: $0 + "/corpora/MANIFEST.json") }
    }
}
