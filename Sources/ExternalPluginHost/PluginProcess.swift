#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running plugin: a child process whose stdin, stdout and stderr the host holds.
///
/// Started with posix_spawn in its own process group, so a timeout can kill the plugin together
/// with anything it started (a shell script's children), and always reaped with `waitpid`, so no
/// zombie is left behind. Every wait is a `poll` with a deadline: the host never blocks on a
/// plugin without a bound. Not thread-safe; `PluginSession` serializes callers.
final class PluginProcess {
    /// The child's process id (also its process-group id).
    let pid: pid_t
    /// Standard input, a Unix socket rather than a pipe so writes can pass MSG_NOSIGNAL: a plugin
    /// that dies mid-request must not kill the host with SIGPIPE, and ignoring SIGPIPE
    /// process-wide is not a library's call to make.
    private var stdinFD: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    /// Bytes read from stdout that do not yet make a whole frame.
    private var inbox: [UInt8] = []
    /// The end of stderr, for error messages.
    private(set) var stderrTail = StderrTail()
    /// How the process ended, once reaped.
    private(set) var exitStatus: String?
    /// Reused read buffer, so a request costs no allocation; as large as a socket's buffer, so
    /// one read takes whatever the plugin has written.
    private var chunk = [UInt8](repeating: 0, count: 1 << 18)

    /// Starts `executable` (a path, or a bare name searched on PATH) in `workingDirectory`.
    /// - Throws: `ProcessFailure.couldNotStart` with the system's reason.
    init(executable: String, arguments: [String], workingDirectory: String) throws(ProcessFailure) {
        var stdinPair: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        // Socket pairs rather than pipes for all three: created close-on-exec atomically (pipe2 is
        // not importable), so a plugin started by another thread at the same moment cannot
        // inherit our ends and hold a stream open.
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, socketType, 0, &stdinPair) == 0, socketpair(AF_UNIX, socketType, 0, &stdoutPipe) == 0,
            socketpair(AF_UNIX, socketType, 0, &stderrPipe) == 0
        else {
            let reason = String(cString: strerror(errno))
            for fd in stdinPair + stdoutPipe + stderrPipe where fd >= 0 { close(fd) }
            throw .couldNotStart("cannot create pipes: \(reason)")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The working directory: glibc's addchdir_np when present (2.29+, not importable, so
        // looked up), else a `cd` in /bin/sh before exec.
        var program = executable
        var argumentList = [executable] + arguments
        if let addChdir = Self.addChdir {
            _ = addChdir(&actions, workingDirectory)
        } else {
            program = "/bin/sh"
            argumentList = ["sh", "-c", "cd \"$0\" && exec \"$@\"", workingDirectory] + argumentList
        }
        posix_spawn_file_actions_adddup2(&actions, stdinPair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The child starts with default SIGPIPE handling and nothing blocked, whatever the host
        // set for itself.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)

        let argv: [UnsafeMutablePointer<CChar>?] = argumentList.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result: Int32 =
            program.contains("/")
            ? posix_spawn(&child, program, &actions, &attributes, argv, environ)
            : posix_spawnp(&child, program, &actions, &attributes, argv, environ)
        close(stdinPair[1])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard result == 0 else {
            close(stdinPair[0])
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw .couldNotStart("'\(executable)': \(String(cString: strerror(result)))")
        }
        pid = child
        stdinFD = stdinPair[0]
        stdoutFD = stdoutPipe[0]
        stderrFD = stderrPipe[0]
        for fd in [stdinFD, stdoutFD, stderrFD] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        terminate()
    }

    /// True until the process has been reaped.
    var isRunning: Bool { exitStatus == nil }

    /// Writes `request` and returns the next whole frame from stdout, draining stderr meanwhile.
    ///
    /// Writing and reading interleave in one poll loop: a plugin may start answering before it
    /// has read the whole request, and if the host wrote first and read later, both sides could
    /// block on full pipes.
    /// - Throws: `ProcessFailure`; on a timeout or protocol violation the process has been
    ///   killed and reaped, on an exit it has been reaped.
    func exchange(_ request: [UInt8], timeoutSeconds: Double) throws(ProcessFailure) -> Frame {
        let deadline = Self.nowNanoseconds() + UInt64(max(0, timeoutSeconds) * 1e9)
        var written = 0
        var writable = stdinFD >= 0
        while true {
            do {
                if let frame = try takeFrame() { return frame }
            } catch {
                terminate()
                throw .protocolViolation(error.message)
            }
            let now = Self.nowNanoseconds()
            guard now < deadline, isRunning else {
                terminate()
                throw .timedOut(seconds: timeoutSeconds)
            }
            var fds: [pollfd] = []
            let wantsWrite = writable && written < request.count
            if wantsWrite { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            let waitMilliseconds = Int32(clamping: (deadline - now + 999_999) / 1_000_000)
            let ready = poll(&fds, nfds_t(fds.count), waitMilliseconds)
            if ready < 0 && errno != EINTR {
                terminate()
                throw .exited(status: "could not be watched (poll: \(String(cString: strerror(errno))))")
            }
            guard ready > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinFD && wantsWrite {
                    let sent = request.withUnsafeBytes { buffer in
                        send(stdinFD, buffer.baseAddress.map { $0 + written }, request.count - written, Int32(MSG_NOSIGNAL))
                    }
                    if sent > 0 {
                        written += sent
                    } else if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                        // The plugin stopped reading (closed stdin or died); its stdout will say which.
                        writable = false
                    }
                } else if entry.fd == stdoutFD {
                    let count = chunk.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
                    if count > 0 {
                        inbox.append(contentsOf: chunk[0..<count])
                    } else if count == 0 {
                        // End of stdout: the plugin exited or closed it. Either way no reply comes.
                        if let frame = try? takeFrame() { return frame }
                        reap(graceSeconds: 1)
                        throw .exited(status: exitStatus ?? "closed its standard output")
                    }
                } else if entry.fd == stderrFD {
                    drainStderr()
                }
            }
        }
    }

    /// Closes stdin (the protocol's "no more requests") and waits briefly for a clean exit,
    /// then kills. Used when a compressor is released.
    func shutdown(graceSeconds: Double = 2) {
        if stdinFD >= 0 {
            close(stdinFD)
            stdinFD = -1
        }
        reap(graceSeconds: graceSeconds)
    }

    /// Kills the process group and reaps the process. Safe to call more than once.
    func terminate() {
        if isRunning {
            // The group first (a shell plugin's children), then the leader in case it left it.
            _ = kill(-pid, SIGKILL)
            _ = kill(pid, SIGKILL)
            waitForExit(blocking: true)
        }
        drainStderr()
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        stdinFD = -1
        stdoutFD = -1
        stderrFD = -1
    }

    // MARK: Internals

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's posix_spawn_file_actions_addchdir_np, or nil where the C library lacks it.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// Waits up to `graceSeconds` for the process to exit on its own, then kills it.
    private func reap(graceSeconds: Double) {
        let deadline = Self.nowNanoseconds() + UInt64(graceSeconds * 1e9)
        while isRunning && Self.nowNanoseconds() < deadline {
            waitForExit(blocking: false)
            if isRunning {
                drainStderr()
                usleep(5_000)
            }
        }
        terminate()
    }

    private func waitForExit(blocking: Bool) {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid {
                exitStatus = Self.describe(status: status)
                return
            }
            if result == 0 { return }
            if result < 0 && errno == EINTR { continue }
            // ECHILD: someone else reaped it (a host that reaps every child); it is gone.
            exitStatus = "ended (status unavailable)"
            return
        }
    }

    /// Reads whatever stderr holds now, without blocking; closes it at end of file.
    private func drainStderr() {
        while stderrFD >= 0 {
            let count = chunk.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, $0.count) }
            if count > 0 {
                chunk.withUnsafeBufferPointer { stderrTail.append(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            } else if count == 0 {
                close(stderrFD)
                stderrFD = -1
            } else {
                return
            }
        }
    }

    /// Removes and returns the first whole frame in the inbox, if there is one.
    private func takeFrame() throws(ProtocolViolation) -> Frame? {
        guard case .frame(let headerBytes, let payloadBytes) = try Frame.decodeLengths(inbox) else { return nil }
        let total = Frame.prefixBytes + headerBytes + payloadBytes
        guard inbox.count >= total else {
            inbox.reserveCapacity(total)
            return nil
        }
        let bytes: [UInt8]
        if inbox.count == total {
            bytes = inbox
            inbox = []
        } else {
            bytes = Array(inbox[0..<total])
            inbox.removeFirst(total)
        }
        return try Frame.decode(bytes, headerBytes: headerBytes)
    }

    private static func nowNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// "exited with status 3", "was killed by signal 11 (SIGSEGV)": the wait-status macros are
    /// not importable into Swift, so this decodes the Linux/BSD layout by hand.
    static func describe(status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        let names: [Int32: String] = [
            SIGABRT: "SIGABRT", SIGSEGV: "SIGSEGV", SIGKILL: "SIGKILL", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
            SIGILL: "SIGILL", SIGTERM: "SIGTERM", SIGPIPE: "SIGPIPE", SIGINT: "SIGINT",
        ]
        return "was killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
    }
}
