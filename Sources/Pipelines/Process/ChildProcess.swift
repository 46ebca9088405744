import Foundation

/// Runs this same binary as a child with a time limit, forwarding its standard error live and
/// keeping the tail for error messages. The child dies with its parent, even after `kill -9`.
public enum ChildProcess {
    /// The variable through which a child learns its parent's pid (`dieWithParent`).
    public static let parentVariable = "WORKBENCH_PARENT_PID"

    public struct Outcome {
        /// Exit status, or nil when killed for the timeout.
        public var status: Int32?
        /// Whether it was terminated by a signal (a crash).
        public var crashed: Bool
        /// The last few kilobytes of its standard error.
        public var standardErrorTail: String
    }

    public static func runSelf(_ arguments: [String], timeoutSeconds: Double) throws -> Outcome {
        let process = Process()
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment[parentVariable] = String(getpid())
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let tail = TailBuffer(limit: 4096)
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            StandardStreams.writeStandardError(data)
            tail.append(data)
        }
        try process.run()
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        var timedOut = false
        if finished.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        }
        errors.fileHandleForReading.readabilityHandler = nil
        tail.append(errors.fileHandleForReading.readDataToEndOfFile())
        return Outcome(
            status: timedOut ? nil : process.terminationStatus,
            crashed: !timedOut && process.terminationReason == .uncaughtSignal, standardErrorTail: tail.text)
    }

    /// Call first thing in `main`: in a child started by `runSelf`, asks the kernel to kill this
    /// process when its parent dies (Linux `PR_SET_PDEATHSIG`), then exits at once if the parent
    /// is already gone (it died between the fork and this call: the child was reparented, so
    /// `getppid()` is no longer the pid it was given). Elsewhere it does nothing.
    ///
    /// Why in the child: Foundation's `Process` offers no hook between fork and exec, and the
    /// death signal must be set by the child itself. Subtle: the kernel sends it when the parent
    /// *thread* that forked exits; `runSelf` blocks that thread until the child has ended, so the
    /// signal can only come from the parent dying.
    public static func dieWithParent() {
        guard let text = ProcessInfo.processInfo.environment[parentVariable] else { return }
        unsetenv(parentVariable)  // not for grandchildren (plugin processes): their parent is this one
        guard let parent = pid_t(text) else { return }
        #if os(Linux)
        // Subtle: prctl is variadic in C, which Swift cannot call; it is looked up by name and
        // called with fixed arguments (PR_SET_PDEATHSIG is 1), as MemoryPolicy calls mallopt.
        if let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "prctl") {
            typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
            _ = unsafeBitCast(symbol, to: Prctl.self)(1, UInt(SIGKILL), 0, 0, 0)
        }
        #endif
        if getppid() != parent { _exit(1) }
    }

    /// A bounded buffer of the last bytes written, safe across the pipe's callback thread.
    public final class TailBuffer: @unchecked Sendable {
        private var data = Data()
        private let limit: Int
        private let lock = NSLock()
        public init(limit: Int) { self.limit = limit }
        public func append(_ more: Data) {
            lock.withLock {
                data.append(more)
                if data.count > limit { data = data.suffix(limit) }
            }
        }
        public var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }
}
