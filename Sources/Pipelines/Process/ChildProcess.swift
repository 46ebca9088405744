import Foundation

/// Runs this same binary as a child with a time limit, forwarding its standard error live and
/// keeping the tail for error messages.
public enum ChildProcess {
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
