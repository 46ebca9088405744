import Foundation
import NeuralEngine
import WorkbenchCore

/// `environment.json`: what machine and build produced a run, so its numbers can be trusted.
public struct RunEnvironment: Codable {
    public var gitCommit: String?
    public var gitDirty: Bool?
    public var swiftCompiler: String
    public var buildConfiguration: String
    public var operatingSystem: String
    public var cpuModel: String?
    public var logicalCores: Int
    public var threadsUsed: Int
    public var libraries: [String: String]
    public var seeds: [String: UInt64]
    /// The OpenBLAS kernel family the run's matrix products used (`SkylakeX`, `Prescott`...).
    public var blasCore: String?

    enum CodingKeys: String, CodingKey {
        case gitCommit = "git_commit", gitDirty = "git_dirty", swiftCompiler = "swift_compiler"
        case buildConfiguration = "build_configuration", operatingSystem = "operating_system"
        case cpuModel = "cpu_model", logicalCores = "logical_cores", threadsUsed = "threads_used", libraries, seeds
        case blasCore = "blas_core"
    }

    /// Reads the environment of this process.
    public static func current(libraries: [String: String], threadsUsed: Int, seeds: [String: UInt64]) -> RunEnvironment {
        let tree = sourceTree
        return RunEnvironment(
            gitCommit: tree.flatMap { run("git", ["-C", $0, "rev-parse", "HEAD"]) },
            gitDirty: tree.flatMap { run("git", ["-C", $0, "status", "--porcelain", "--untracked-files=no"]) }
                .map { !$0.isEmpty },
            swiftCompiler: compilerVersion, buildConfiguration: buildConfiguration,
            operatingSystem: operatingSystem, cpuModel: cpuModel,
            logicalCores: ProcessInfo.processInfo.activeProcessorCount, threadsUsed: threadsUsed,
            libraries: libraries, seeds: seeds, blasCore: BLASKernel.loadedCore)
    }

    private static var compilerVersion: String {
        #if compiler(>=6.3)
        return "Swift >= 6.3"
        #elseif compiler(>=6.0)
        return "Swift 6.0..<6.3"
        #else
        return "Swift < 6.0"
        #endif
    }

    private static var buildConfiguration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    private static var operatingSystem: String {
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(field(name.sysname)) \(field(name.release)) \(field(name.machine))"
    }

    private static var cpuModel: String? {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The workbench checkout the running binary was built in (`.build/release/workbench` sits
    /// inside it), nil for a copy installed elsewhere. Why not the working directory: a run
    /// started inside another repository would record that repository's commit as the build's.
    /// The commit recorded is the checkout's HEAD when the run starts.
    static var sourceTree: String? {
        guard var directory = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() else {
            return nil
        }
        while directory.path != "/" {
            let marker = directory.appendingPathComponent("Sources/WorkbenchCore").path
            if FileManager.default.fileExists(atPath: marker) { return directory.path }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// Runs a helper program, nil when it fails.
    private static func run(_ program: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
