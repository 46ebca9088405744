import Foundation
import WorkbenchCore

/// Up to `capacity` running copies of one plugin, shared by concurrent callers.
///
/// Each request takes an idle session (or starts one while below capacity, or waits), so two
/// threads of a comparison keep two plugin processes busy on two cores. Requests to one process
/// stay strictly sequential, as the protocol requires. A session that failed is shut down and
/// reaped instead of returned, and the next caller starts a fresh one, which must describe
/// itself exactly as the first did.
final class PluginPool: @unchecked Sendable {
    let manifest: PluginManifest
    let options: [String: String]
    let capacity: Int
    /// The first session's handshake; every later session must match it.
    let handshake: PluginHandshake

    private let condition = NSCondition()
    /// Started sessions not serving a request. Guarded by `condition`.
    private var idle: [PluginSession]
    /// Sessions in existence: idle, busy, or being started. Guarded by `condition`.
    private var live: Int

    /// Creates a pool around an already started and handshaken first session.
    init(first: PluginSession, options: [String: String], capacity: Int) {
        manifest = first.manifest
        self.options = options
        self.capacity = max(1, capacity)
        handshake = first.handshake
        idle = [first]
        live = 1
    }

    deinit {
        shutdown()
    }

    /// Runs `body` on a session of its own for the duration of the call.
    func withSession<T>(_ body: (PluginSession) throws(CodecError) -> T) throws(CodecError) -> T {
        let session = try acquire()
        defer { release(session) }
        return try body(session)
    }

    /// Shuts down every idle process now; busy ones are shut down when their call returns
    /// failing, or kept for reuse. Later calls start fresh processes as needed.
    func shutdown() {
        condition.lock()
        let sessions = idle
        idle = []
        live -= sessions.count
        condition.broadcast()
        condition.unlock()
        for session in sessions { session.shutdown() }
    }

    private func acquire() throws(CodecError) -> PluginSession {
        condition.lock()
        while idle.isEmpty && live >= capacity { condition.wait() }
        if let session = idle.popLast() {
            condition.unlock()
            return session
        }
        live += 1
        condition.unlock()
        // Started outside the lock: a handshake can take seconds, and other callers may proceed.
        do throws(CodecError) {
            let fresh = try PluginSession(manifest: manifest, options: options)
            guard fresh.handshake == handshake else {
                fresh.shutdown()
                throw PluginSession.failure(
                    manifest, during: "a restart",
                    "described itself differently from its first start (\(fresh.handshake) vs \(handshake))", stderr: nil)
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
            condition.signal()
            condition.unlock()
        } else {
            session.shutdown()
            condition.lock()
            live -= 1
            condition.signal()
            condition.unlock()
        }
    }
}
