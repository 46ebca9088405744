import Foundation
import WorkbenchCore

/// Finds `corpora/` so that `workbench compare` works from the repository or an installed binary.
public enum ShippedCorpus {
    public static let defaultFile = "cpython-stdlib.jsonl"

    /// The shipped corpus: `$WORKBENCH_CORPORA/…`, `./corpora/…`, `corpora/…` in a parent of the
    /// executable (how `swift build` lays out `.build/<config>/workbench`), or in
    /// `../share/workbench` beside the executable's folder (`make install`).
    public static func defaultPath() throws -> String {
        var directories: [String] = []
        if let directory = ProcessInfo.processInfo.environment["WORKBENCH_CORPORA"] { directories.append(directory) }
        directories += RepositoryLocator.candidates().map { $0 + "/corpora" }
        for directory in directories {
            let path = directory + "/" + defaultFile
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw WorkbenchError(
            "the shipped corpus \(defaultFile) was not found in ./corpora, beside the binary or in ../share/workbench/corpora (make install); pass --corpus PATH or set WORKBENCH_CORPORA"
        )
    }
}
