import Foundation
import WorkbenchCore

/// Where the tests find the repository, the shipped corpus and the tools some of them need.
public enum TestEnvironment {
    /// The repository root, found from this source file's path (the tests need no resources).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shipped corpus file.
    public static let shippedCorpusPath = repositoryRoot + "/corpora/cpython-stdlib.jsonl"

    /// The shipped corpus, read once per test process (nil when it is missing).
    public static let shippedCorpus: Corpus? = try? Corpus.load(path: shippedCorpusPath)

    /// The bytes of the shipped corpus's documents in `split` (empty when it is missing).
    public static func shippedDocuments(_ split: CorpusSplit) -> [[UInt8]] {
        shippedCorpus?.bytes(in: split) ?? []
    }

    /// A fresh empty directory under the system temporary directory.
    public static func temporaryDirectory(prefix: String = "workbench-tests") throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Whether an executable of this name is on PATH.
    public static func hasExecutable(_ name: String) -> Bool {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    /// Whether `python3` is on PATH (tests that need it are skipped, and say so, without it).
    public static let hasPython = hasExecutable("python3")

    /// Whether a C compiler (`$CC`, else `cc`) is on PATH.
    public static let hasCompiler = hasExecutable(ProcessInfo.processInfo.environment["CC"] ?? "cc")
}
