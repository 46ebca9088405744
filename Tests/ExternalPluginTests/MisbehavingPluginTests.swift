import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

#if canImport(Glibc)
import Glibc
#endif

/// Plugins that crash, exit early, hang, print garbage, break the alphabet, the round trip or
/// the protocol version (scripts in Misbehaving/). Each must end in a clear `CodecError` that
/// names the plugin and quotes its stderr, within a bound, with every process it started gone.
@Suite(.timeLimit(.minutes(1)))
struct MisbehavingPluginTests {
    /// A misbehaviour and what the error message must say about it.
    struct Case: Sendable, CustomTestStringConvertible {
        var mode: String
        /// Fragments the error message must contain.
        var says: [String]
        /// Short for the hanging cases; generous for the others, so a slow interpreter start on
        /// a loaded machine is not mistaken for a hang.
        var timeoutSeconds: Double = 10
        var testDescription: String { mode }
    }

    static let pythonCases: [Case] = [
        Case(mode: "crash-at-hello", says: ["exited with status 1", "simulated crash before the handshake"]),
        Case(mode: "wrong-version", says: ["protocol version 99", "speaks version 1 only"]),
        Case(mode: "garbage", says: ["broke the protocol", "printing to standard output"]),
        Case(mode: "bad-json", says: ["not a valid message", "not json!"]),
        Case(mode: "huge-length", says: ["4294967295-byte JSON header"]),
        Case(mode: "hang-at-hello", says: ["did not answer within its timeout of 1.5 s"], timeoutSeconds: 1.5),
        Case(mode: "out-of-alphabet", says: ["symbol 250", "alphabet size 200"]),
        Case(mode: "wrong-round-trip", says: ["breaks the round trip", "all 256 byte values"]),
        Case(
            mode: "wrong-count",
            says: ["'encoded' payload is 1293 bytes, but its counts announce 3293 symbols of 1 byte each (3293 bytes)"]),
        Case(
            mode: "wrong-payload-size",
            says: ["'encoded' payload is 1294 bytes, but its counts announce 1293 symbols of 1 byte each (1293 bytes)"]),
        Case(
            mode: "gap-in-spans",
            says: [
                "broke the protocol: the spans of the self-test's all 256 byte values (256 bytes) break the contract",
                "span 1 [symbols 2..<3, bytes 2..<3] does not start where the spans before it end (symbol 1, byte 1)",
            ]),
        Case(
            mode: "swapped-spans",
            says: [
                "the spans of the self-test's all 256 byte values (256 bytes) break the contract",
                "span 0 [symbols 1..<2, bytes 1..<2] does not start where the spans before it end (symbol 0, byte 0)",
            ]),
        Case(
            mode: "empty-span",
            says: [
                "the spans of the self-test's the empty document (0 bytes) break the contract",
                "span 0 [symbols 0..<0, bytes 0..<0] is empty: every span covers at least one symbol and one byte",
            ]),
        Case(mode: "refuse-hello", says: ["during the handshake: it refused to start: the GPU is busy"]),
        Case(mode: "hang-on-encode", says: ["did not answer within its timeout of 1.5 s"], timeoutSeconds: 1.5),
        Case(mode: "exit-on-encode", says: ["stopped before answering: it exited with status 0"]),
        Case(mode: "crash-on-encode", says: ["exited with status 1", "simulated failure while encoding"]),
        Case(mode: "segfault-on-encode", says: ["killed by signal 11 (SIGSEGV)"]),
    ]

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"), arguments: pythonCases)
    func pythonPluginFailsClearly(_ testCase: Case) throws {
        try expectFailure(
            command: "python3", arguments: [TestSupport.misbehavingDirectory + "/misbehaving.py", testCase.mode],
            // Its first stderr line must be quoted, except where a loaded machine may kill a
            // hanging plugin before the interpreter has even started.
            says: testCase.says + (testCase.timeoutSeconds < 2 ? [] : ["misbehaving plugin starting in mode \(testCase.mode)"]),
            timeoutSeconds: testCase.timeoutSeconds)
    }

    @Test func shellPluginThatExitsAtOnce() throws {
        try expectFailure(
            command: "./crash.sh", arguments: [], says: ["exited with status 3", "cannot find model file weights.bin"])
    }

    @Test func shellPluginThatPrintsText() throws {
        try expectFailure(command: "./garbage.sh", arguments: [], says: ["broke the protocol", "Loading model"])
    }

    @Test func hangingPluginIsKilledWithItsChildren() throws {
        // The recorded pids are the shell and its `sleep` child: both must be gone.
        let pids = try expectFailure(
            command: "./hang-with-child.sh", arguments: [], says: ["did not answer within its timeout", "thinking very hard"],
            timeoutSeconds: 1.5)
        #expect(pids.count == 2, "expected the shell and its child, got \(pids)")
    }

    @Test func missingProgramIsReportedAtStart() throws {
        let manifest = TestSupport.misbehavingManifest(command: "no-such-plugin-program-xyz", arguments: [], pidFile: "/dev/null")
        let error = #expect(throws: CodecError.self) {
            try ExternalCompressor(manifest: manifest, options: ResolvedOptions(values: [:]))
        }
        #expect(error?.kind == .pluginFailure)
        #expect(error?.message.contains("no-such-plugin-program-xyz") == true, "\(String(describing: error))")
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func chattyStderrDoesNotBlockAndIsBounded() throws {
        let manifest = TestSupport.misbehavingManifest(
            command: "python3", arguments: [TestSupport.misbehavingDirectory + "/misbehaving.py", "chatty"],
            pidFile: try TestSupport.temporaryDirectory() + "/pid", timeoutSeconds: 20)
        let compressor = try ExternalCompressor(manifest: manifest, options: ResolvedOptions(values: [:]))
        for _ in 0..<5 {
            let input = Array("hello".utf8)
            #expect(try compressor.decode(compressor.encode(input), maxOutputBytes: 5) == input)
        }
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func pluginThatFailsLaterIsRestarted() throws {
        // A plugin that dies between calls fails the next call clearly, then is restarted.
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        let manifest = TestSupport.misbehavingManifest(
            command: "python3", arguments: [TestSupport.misbehavingDirectory + "/misbehaving.py", "fine"],
            pidFile: pidFile, timeoutSeconds: 20)
        let compressor = try ExternalCompressor(manifest: manifest, options: ResolvedOptions(values: [:]))
        let first = TestSupport.recordedPIDs(pidFile)
        for pid in first { kill(pid, SIGKILL) }
        // The first call after the death fails clearly; the next one runs on a fresh process.
        let input = Array("again".utf8)
        let failure = #expect(throws: CodecError.self) { try compressor.encode(input) }
        #expect(failure?.message.contains("killed by signal 9") == true, "\(String(describing: failure))")
        #expect(try compressor.decode(compressor.encode(input), maxOutputBytes: 5) == input)
        #expect(TestSupport.recordedPIDs(pidFile) != first)
        for pid in first { #expect(TestSupport.isGone(pid), "pid \(pid) was not reaped") }
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func concurrentCallersShareAPoolOfProcesses() throws {
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        let manifest = TestSupport.misbehavingManifest(
            command: "python3", arguments: [TestSupport.misbehavingDirectory + "/misbehaving.py", "slow"],
            pidFile: pidFile, timeoutSeconds: 20, maxProcesses: 2)
        let shared = try ExternalCompressor(manifest: manifest, options: ResolvedOptions(values: [:]))
        let failures = Failures()
        // Real threads released together: concurrentPerform may run every iteration on one thread
        // when the machine is busy, and then one process is all the pool ever needs.
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0..<6 {
            done.enter()
            let thread = Thread {
                start.wait()
                let input = Array("document \(index)".utf8)
                do {
                    if try shared.decode(shared.encode(input), maxOutputBytes: input.count) != input {
                        failures.add("round trip \(index) differs")
                    }
                } catch {
                    failures.add("\(error)")
                }
                done.leave()
            }
            thread.start()
        }
        for _ in 0..<6 { start.signal() }
        done.wait()
        #expect(failures.messages.isEmpty, "\(failures.messages)")
        let pids = TestSupport.recordedPIDs(pidFile)
        #expect(pids.count == 2, "expected two processes (max_processes 2), got \(pids)")
        shared.shutdown()
        for pid in pids { #expect(TestSupport.isGone(pid), "pid \(pid) was not reaped") }
    }

    /// Starts the plugin, expects a `CodecError` with `says` in its message within a bound, and
    /// checks every process it recorded is gone (not running, not a zombie). Returns those pids.
    @discardableResult
    func expectFailure(command: String, arguments: [String], says: [String], timeoutSeconds: Double = 10) throws -> [pid_t] {
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        let manifest = TestSupport.misbehavingManifest(
            command: command, arguments: arguments, pidFile: pidFile, timeoutSeconds: timeoutSeconds)
        let start = ContinuousClock.now
        let error = #expect(throws: CodecError.self) {
            let compressor = try ExternalCompressor(manifest: manifest, options: ResolvedOptions(values: [:]))
            _ = try compressor.encode(Array("a document".utf8))
        }
        let elapsed = TestSupport.seconds(since: start)
        // Timeouts plus start-up on a loaded machine, but never the plugins' 30 s sleeps.
        #expect(elapsed < 20, "took \(elapsed) s")
        #expect(error?.kind == .pluginFailure, "\(String(describing: error))")
        #expect(error?.compressor == "misbehaving")
        let message = error?.message ?? ""
        #expect(message.contains("external plugin 'misbehaving'"), "\(message)")
        for fragment in says {
            #expect(message.contains(fragment), "message lacks '\(fragment)':\n\(message)")
        }
        let pids = TestSupport.recordedPIDs(pidFile)
        #expect(!pids.isEmpty, "the plugin never started")
        // The first pid is our child: we reap it, so it must be gone entirely. Later ones are its
        // children, killed with its process group and reaped by init.
        for (index, pid) in pids.enumerated() {
            if index == 0 {
                #expect(TestSupport.isGone(pid), "plugin pid \(pid) is still running or a zombie")
            } else {
                #expect(TestSupport.isNotRunning(pid), "pid \(pid), started by the plugin, is still running")
            }
        }
        return pids
    }
}

/// Messages collected from concurrent callers.
final class Failures: @unchecked Sendable {
    private var list: [String] = []
    private let lock = NSLock()
    func add(_ message: String) { lock.withLock { list.append(message) } }
    var messages: [String] { lock.withLock { list } }
}

extension MisbehavingPluginTests {
    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func releasingTheCompressorReapsItsProcess() throws {
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        do {
            let manifest = TestSupport.misbehavingManifest(
                command: "python3", arguments: [TestSupport.misbehavingDirectory + "/misbehaving.py", "fine"],
                pidFile: pidFile, timeoutSeconds: 20)
            let compressor = try ExternalCompressor(manifest: manifest, options: ResolvedOptions(values: [:]))
            _ = try compressor.encode([1, 2, 3])
        }
        let pids = TestSupport.recordedPIDs(pidFile)
        #expect(pids.count == 1)
        for pid in pids { #expect(TestSupport.isGone(pid), "pid \(pid) outlived its compressor") }
    }
}
