import Foundation

/// A tmpfs of a few kilobytes mounted on a fresh directory, to fill a disk for real. Creating one
/// needs root (CAP_SYS_ADMIN); where that is missing `init` returns nil and says so, and the test
/// that asked is skipped.
public struct SmallFileSystem {
    /// The mount point.
    public let path: String

    /// Whether a tmpfs can be mounted here (needs root): tests that need one are enabled by it,
    /// so that where it cannot they are reported as skipped.
    public static let isAvailable: Bool = {
        guard let probe = try? SmallFileSystem(kilobytes: 16) else { return false }
        probe.remove()
        return true
    }()

    /// Mounts `kilobytes` of tmpfs, or returns nil when mounting is not allowed here.
    public init?(kilobytes: Int) throws {
        path = try TestEnvironment.temporaryDirectory(prefix: "small-fs")
        guard SmallFileSystem.run(["mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]) else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
    }

    /// Unmounts and removes the mount point.
    public func remove() {
        _ = SmallFileSystem.run(["umount", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
