import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

#if canImport(Glibc)
import Glibc
#endif

/// Paths and helpers shared by the external-plugin tests. Files are found relative to this
/// source file, so the target needs no resources.
enum TestSupport {
    /// The repository root.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let examplesDirectory = repositoryRoot + "/plugins/external"
    static let misbehavingDirectory = repositoryRoot + "/Tests/ExternalPluginTests/Misbehaving"

    /// True when `python3` is on PATH; Python-based tests skip with a message otherwise.
    static let hasPython: Bool = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }()

    /// True when a C compiler is on PATH (the rle-c example builds itself with `cc`).
    static let hasCompiler: Bool = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return paths.contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(ProcessInfo.processInfo.environment["CC"] ?? "cc")")
        }
    }()

    /// Loads an example plugin's manifest by id.
    static func exampleManifest(_ id: String) throws -> PluginManifest {
        try PluginManifest.load(path: "\(examplesDirectory)/\(id)/plugin.json")
    }

    /// Builds an example compressor with options (defaults filled from the manifest).
    static func example(_ id: String, _ options: [String: String] = [:]) throws -> ExternalCompressor {
        let manifest = try exampleManifest(id)
        let resolved = try ResolvedOptions(options, specs: manifest.options, compressor: id)
        return try ExternalCompressor(manifest: manifest, options: resolved)
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("external-plugin-tests-" + UUID().uuidString)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A manifest for a misbehaving test plugin, which writes its pid(s) to `pidFile`.
    static func misbehavingManifest(
        command: String, arguments: [String], pidFile: String, timeoutSeconds: Double = 1.5, maxProcesses: Int = 1
    ) -> PluginManifest {
        PluginManifest(
            id: "misbehaving", displayName: "Misbehaving", description: "", command: command,
            arguments: arguments + [pidFile], timeoutSeconds: timeoutSeconds, options: [], conformanceOptions: [],
            directory: misbehavingDirectory, path: misbehavingDirectory + "/(test manifest)", maxProcesses: maxProcesses)
    }

    /// A compressor over misbehaving.py in `mode`, recording into a fresh pid file (returned).
    static func misbehaving(
        _ mode: String, options: [String: String] = [:], maxProcesses: Int = 1, pidFile: String? = nil
    ) throws -> (compressor: ExternalCompressor, pidFile: String) {
        let file = try pidFile ?? temporaryDirectory() + "/pid"
        let manifest = misbehavingManifest(
            command: "python3", arguments: [misbehavingDirectory + "/misbehaving.py", mode], pidFile: file,
            timeoutSeconds: 20, maxProcesses: maxProcesses)
        return (try ExternalCompressor(manifest: manifest, options: ResolvedOptions(values: options)), file)
    }

    /// The requests a misbehaving plugin served, as (type, documents) in order.
    static func recordedRequests(_ pidFile: String) -> [(type: String, documents: Int)] {
        let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let count = Int(parts[1]) else { return nil }
            return (String(parts[0]), count)
        }
    }

    /// True while the process runs (not gone, not a zombie).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else {
            return true
        }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// The pids a misbehaving plugin recorded.
    static func recordedPIDs(_ pidFile: String) -> [pid_t] {
        let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// True when no process with this pid exists any more, not even as a zombie. Waits up to a
    /// second, because a killed grandchild is reaped by init, not by us, a moment later.
    static func isGone(_ pid: pid_t) -> Bool {
        for _ in 0..<100 {
            if kill(pid, 0) == -1 && errno == ESRCH { return true }
            usleep(10_000)
        }
        return false
    }

    /// True when the process is not running: gone, or a zombie that is not ours to reap (a killed
    /// grandchild waits for init, which may take a while on a loaded machine).
    static func isNotRunning(_ pid: pid_t) -> Bool {
        for _ in 0..<100 {
            if kill(pid, 0) == -1 && errno == ESRCH { return true }
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            {
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.first == "Z" || fields.first == "X", fields.count > 1, fields[1] != "\(getpid())" { return true }
            }
            usleep(10_000)
        }
        return false
    }

    /// The first documents of the shipped corpus, read once: parsing all 6 MB of JSON Lines
    /// takes seconds in a debug build, so every test shares one read.
    private static let corpusSample: [[UInt8]] = {
        guard let corpus = try? Corpus.load(path: repositoryRoot + "/corpora/cpython-stdlib.jsonl") else { return [] }
        return Array(corpus.documents.prefix(16).map(\.bytes))
    }()

    /// A few documents of the shipped corpus (its first `count` lines, at most 16).
    static func corpusDocuments(count: Int) -> [[UInt8]] {
        Array(corpusSample.prefix(count))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
