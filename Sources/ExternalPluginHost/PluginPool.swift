import Foundation
import WorkbenchCore

/// The running copies of one plugin, shared by every `ExternalCompressor` built from its
/// manifest in this process: at most `manifest.maxProcesses` at once, whatever the options.
///
/// Why one pool per manifest and not per compressor: a measurement builds fresh compressor
/// instances for its timed passes (`RateMeasurement.freshInstance`), and with a pool each they
/// started a process, a handshake and a self-test apiece, and held up to four copies of a
/// `max_processes: 1` plugin at once. Sharing makes `max_processes` a bound on the process.
///
/// Each request takes an idle session started with its options (or starts one while below
/// capacity, or replaces an idle session of other options, or waits), so two threads keep two
/// processes busy on two cores. Requests to one process stay strictly sequential, as the
/// protocol requires. A session that failed is shut down and reaped instead of returned, and the
/// next caller starts a fresh one, which must describe itself exactly as the first did.
final class PluginPool: @unchecked Sendable {
    let manifest: PluginManifest
    let capacity: Int

    private let condition = NSCondition()
    /// Started sessions not serving a request. Guarded by `condition`.
    private var idle: [PluginSession] = []
    /// Sessions in existence: idle, busy, or being started. Guarded by `condition`.
    private var live = 0
    /// Processes started so far (for tests and diagnostics). Guarded by `condition`.
    private var started = 0
    /// The handshake of each option set whose first process passed the self-test; later
    /// processes with those options must match it. Guarded by `condition`.
    private var verified: [[String: String]: PluginHandshake] = [:]

    init(manifest: PluginManifest) {
        self.manifest = manifest
        capacity = max(1, manifest.maxProcesses)
    }

    deinit {
        shutdown()
    }

    /// The handshake of a self-tested process with these options, if there has been one.
    func verifiedHandshake(for options: [String: String]) -> PluginHandshake? {
        condition.lock()
        defer { condition.unlock() }
        return verified[options]
    }

    /// Records that a process with these options passed the self-test.
    func recordVerified(_ handshake: PluginHandshake, for options: [String: String]) {
        condition.lock()
        verified[options] = handshake
        condition.unlock()
    }

    /// How many processes exist now and how many were ever started.
    var processCounts: (live: Int, started: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (live, started)
    }

    /// Runs `body` on a session with these options, its own for the duration of the call.
    /// - Throws: what `body` throws; `CodecError` when no process could be started;
    ///   `WorkbenchError.usage` when the plugin refuses the options.
    func withSession<T>(options: [String: String], _ body: (PluginSession) throws(CodecError) -> T) throws -> T {
        let session = try acquire(options: options)
        defer { release(session) }
        return try body(session)
    }

    /// Shuts down every idle process now; busy ones are kept for reuse or shut down when their
    /// call fails. Later calls start fresh processes as needed.
    func shutdown() {
        condition.lock()
        let sessions = idle
        idle = []
        live -= sessions.count
        condition.broadcast()
        condition.unlock()
        for session in sessions { session.shutdown() }
    }

    private func acquire(options: [String: String]) throws -> PluginSession {
        condition.lock()
        var evicted: PluginSession?
        while true {
            if let index = idle.lastIndex(where: { $0.options == options }) {
                let session = idle.remove(at: index)
                condition.unlock()
                return session
            }
            if live < capacity {
                live += 1
                break
            }
            if !idle.isEmpty {
                // Full, but a process of other options is idle: its slot goes to these options.
                evicted = idle.removeFirst()
                break
            }
            condition.wait()
        }
        started += 1
        let expected = verified[options]
        condition.unlock()
        evicted?.shutdown()
        // Started outside the lock: a handshake can take seconds, and other callers may proceed.
        do {
            let fresh = try PluginSession(manifest: manifest, options: options)
            if let expected, fresh.handshake != expected {
                fresh.shutdown()
                throw PluginSession.failure(
                    manifest, during: "a restart",
                    "described itself differently from its first start (\(fresh.handshake) vs \(expected))", stderr: nil)
            }
            return fresh
        } catch {
            condition.lock()
            live -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func release(_ session: PluginSession) {
        if session.isUsable {
            condition.lock()
            idle.append(session)
            // Broadcast: a waiter for other options may take over an idle slot, not only a
            // waiter for these.
            condition.broadcast()
            condition.unlock()
        } else {
            session.shutdown()
            condition.lock()
            live -= 1
            condition.broadcast()
            condition.unlock()
        }
    }
}
