import Foundation

extension PluginPool {
    /// What makes two manifests the same plugin: the same file, program and arguments (tests build
    /// manifests in code that share a path but not a program), timeout and process bound.
    struct Key: Hashable {
        var path: String
        var command: String
        var arguments: [String]
        var directory: String
        var timeoutSeconds: Double
        var maxProcesses: Int

        init(_ manifest: PluginManifest) {
            path = manifest.path
            command = manifest.resolvedCommand
            arguments = manifest.arguments
            directory = manifest.directory
            timeoutSeconds = manifest.timeoutSeconds
            maxProcesses = manifest.maxProcesses
        }
    }

    /// The pool of this manifest's plugin, shared by every compressor built from it while any of
    /// them lives; when the last is released the pool goes too, and its processes are reaped.
    static func shared(for manifest: PluginManifest) -> PluginPool {
        registry.pool(for: manifest)
    }

    private static let registry = Registry()

    /// Weak references to the live pools, by manifest.
    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        // Subtle: touched only under `lock`.
        private var pools: [Key: Weak] = [:]

        private final class Weak {
            weak var pool: PluginPool?
            init(_ pool: PluginPool) { self.pool = pool }
        }

        func pool(for manifest: PluginManifest) -> PluginPool {
            lock.lock()
            defer { lock.unlock() }
            let key = Key(manifest)
            if let existing = pools[key]?.pool { return existing }
            pools = pools.filter { $0.value.pool != nil }
            let pool = PluginPool(manifest: manifest)
            pools[key] = Weak(pool)
            return pool
        }
    }
}
