import Foundation
import Testing

/// `compare`'s measuring children (`ChildProcess.runSelf`) die with it: after `kill -9` of the
/// parent, the child is gone at once, not left to finish its work.
@Suite struct ChildLifetimeTests {
    /// `(pid, state)` of the processes whose parent is `parent` (Linux /proc).
    static func children(of parent: pid_t) -> [(pid: pid_t, state: Character)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> (pid_t, Character)? in
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, pid_t(fields[1]) == parent, let state = fields[0].first else { return nil }
            return (pid, state)
        }
    }

    /// A process's state letter, or nil once it is gone.
    static func state(of pid: pid_t) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ").first?.first
    }

    /// The mechanism, with a parent that dies while its child is busy and silent (a child that
    /// writes to a pipe whose reader died gets SIGPIPE anyway; a silent one used to live on):
    /// a shell stands for `compare`, giving its pid as `runSelf` does, and is killed with -9.
    @Test(.timeLimit(.minutes(2)), .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat")))
    func aBusyChildDiesWithItsParent() throws {
        let directory = try temporaryDirectory()
        // 24 MB of varied text: zstd at level 19 takes many seconds over it.
        var text = ""
        var seed: UInt64 = 7
        for line in 0..<400_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += "line \(line) value \(seed >> 20) \(String(seed % 9973, radix: 36))\n"
        }
        try text.write(toFile: directory + "/big.txt", atomically: true, encoding: .utf8)
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sh")
        parent.arguments = [
            "-c", "WORKBENCH_PARENT_PID=$$ \"$0\" compress --compressor zstd:level=19 --in big.txt --out /dev/null & wait",
            WorkbenchProcess.executable,
        ]
        parent.currentDirectoryURL = URL(fileURLWithPath: directory)
        try parent.run()
        var child: pid_t?
        let deadline = Date().addingTimeInterval(30)
        while child == nil && Date() < deadline && parent.isRunning {
            child = Self.children(of: parent.processIdentifier).first?.pid
            if child == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        let busy = try #require(child, "the shell started no child")
        defer { kill(busy, SIGKILL) }
        Thread.sleep(forTimeInterval: 0.5)  // past its start: reading, then compressing
        #expect(Self.state(of: busy) != nil, "the child ended before its parent was killed")
        kill(parent.processIdentifier, SIGKILL)
        // Not parent.waitUntilExit() first: Foundation's wait can last as long as the orphan.
        defer { parent.waitUntilExit() }
        let gone = Date().addingTimeInterval(3)
        while let state = Self.state(of: busy), state != "Z", Date() < gone { Thread.sleep(forTimeInterval: 0.02) }
        let state = Self.state(of: busy)
        #expect(state == nil || state == "Z", "child \(busy) outlived its parent (state \(state.map(String.init) ?? "gone"))")
    }

    /// A child whose parent died before it could ask for the death signal (it was reparented, so
    /// its parent is no longer the pid it was given) exits at once.
    @Test func aChildWhoseParentIsAlreadyGoneExits() throws {
        let outcome = try WorkbenchProcess.run(["plugins"], environment: ["WORKBENCH_PARENT_PID": "1"])
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.isEmpty)
    }
}
