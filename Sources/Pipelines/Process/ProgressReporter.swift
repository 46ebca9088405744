import Foundation

/// Progress on standard error: a redrawn bar on a terminal; otherwise (a log file, CI) a plain
/// line when a task starts, one every `plainInterval` seconds with the step and the time left,
/// and one at the end.
public final class ProgressReporter {
    private let interactive: Bool
    private var label = ""
    private var lastPercent = -1
    private var lastDraw: UInt64 = 0

    public init(interactive: Bool = StandardStreams.standardErrorIsTerminal) {
        self.interactive = interactive
    }

    /// Starts a task with a label such as `zstd: encode + verify`.
    public func begin(_ label: String) {
        self.label = label
        lastPercent = -1
        startTime = DispatchTime.now().uptimeNanoseconds
        lastDraw = startTime
        if !interactive { emit("\(label) ...\n") }
    }

    private var startTime: UInt64 = 0
    /// Seconds between plain progress lines when standard error is not a terminal.
    public var plainInterval: UInt64 = 10

    /// Reports `done` of `total` units, with an optional detail (throughput) and an ETA.
    public func update(_ done: Int, of total: Int, detail: String = "") {
        guard total > 0 else { return }
        let percent = done * 100 / total
        let now = DispatchTime.now().uptimeNanoseconds
        guard interactive else {
            guard done < total, now &- lastDraw >= plainInterval * 1_000_000_000, done > 0 else { return }
            lastDraw = now
            let elapsed = Double(now &- startTime) / 1e9
            let left = elapsed * Double(total - done) / Double(done)
            emit(
                String(
                    format: "%@: %d/%d (%d%%)%@, about %dm%02ds left\n", label, done, total, percent,
                    detail.isEmpty ? "" : ", " + detail, Int(left) / 60, Int(left) % 60))
            return
        }
        guard percent != lastPercent, now &- lastDraw > 50_000_000 || done == total else { return }
        lastPercent = percent
        lastDraw = now
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let elapsed = Double(now &- startTime) / 1e9
        let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
        let etaText = done > 0 && done < total ? String(format: " ETA %dm%02ds", Int(eta) / 60, Int(eta) % 60) : ""
        emit("\r\(label) [\(bar)] \(percent)%\(etaText) \(detail)")
    }

    /// Ends the task with a one-line summary.
    public func end(_ summary: String) {
        if interactive { emit("\r\u{1B}[K") }
        emit("\(label): \(summary)\n")
    }

    private func emit(_ text: String) {
        StandardStreams.writeStandardError(Data(text.utf8))
    }
}
