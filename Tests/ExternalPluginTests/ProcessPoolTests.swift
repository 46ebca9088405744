import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

#if canImport(Glibc)
import Glibc
#endif

/// `max_processes` bounds the plugin's processes in the whole process, across every compressor
/// built from its manifest (the fresh instances of timed passes included) and every option set.
@Suite(.timeLimit(.minutes(1)))
struct ProcessPoolTests {
    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func instancesShareOneProcessUnderMaxProcessesOne() throws {
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        let instances = try (0..<3).map { _ in try TestSupport.misbehaving("slow", pidFile: pidFile).compressor }
        let failures = Failures()
        let done = DispatchGroup()
        for index in 0..<6 {
            done.enter()
            Thread {
                let input = Array("document \(index)".utf8)
                let compressor = instances[index % instances.count]
                do {
                    if try compressor.decode(compressor.encode(input), maxOutputBytes: input.count) != input {
                        failures.add("round trip \(index) differs")
                    }
                } catch {
                    failures.add("\(error)")
                }
                done.leave()
            }.start()
        }
        done.wait()
        #expect(failures.messages.isEmpty, "\(failures.messages)")
        #expect(TestSupport.recordedPIDs(pidFile).count == 1, "three instances, six threads, max_processes 1: one process")
        #expect(instances[0].processCounts.started == 1 && instances[0].processCounts.live == 1)
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func otherOptionsTakeTheSlotInTurn() throws {
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        let a = try TestSupport.misbehaving("fine", options: ["tag": "a"], pidFile: pidFile).compressor
        let b = try TestSupport.misbehaving("fine", options: ["tag": "b"], pidFile: pidFile).compressor
        for round in 0..<3 {
            for compressor in [a, b] {
                let input = Array("round \(round)".utf8)
                #expect(try compressor.decode(compressor.encode(input), maxOutputBytes: input.count) == input)
                let running = TestSupport.recordedPIDs(pidFile).filter(TestSupport.isRunning)
                #expect(running.count == 1, "max_processes 1, but \(running.count) processes run")
            }
        }
        #expect(a.processCounts.live == 1)
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func releasingEveryInstanceReapsTheProcesses() throws {
        let pidFile = try TestSupport.temporaryDirectory() + "/pid"
        do {
            let first = try TestSupport.misbehaving("fine", pidFile: pidFile).compressor
            let second = try TestSupport.misbehaving("fine", pidFile: pidFile).compressor
            _ = try first.encode([1, 2, 3])
            _ = try second.encode([4, 5])
        }
        let pids = TestSupport.recordedPIDs(pidFile)
        #expect(pids.count == 1)
        for pid in pids { #expect(TestSupport.isGone(pid), "pid \(pid) outlived every compressor") }
    }
}
