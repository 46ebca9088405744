import Foundation
import Testing

@testable import Reports

/// Renders report.html in a real browser (headless Chromium, Debian's `chromium`, which
/// `make test` installs) and checks what a reader would see: a page, its charts, no errors.
@Suite(.serialized) struct BrowserRenderingTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func runChromium(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium ?? "/usr/bin/chromium")
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--disable-extensions", "--enable-logging=stderr", "--v=0",
            ] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        nonisolated(unsafe) var out = Data(), err = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = errors.fileHandleForReading.readDataToEndOfFile() }
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self))
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed; `make test` installs it"), .timeLimit(.minutes(2)))
    func reportRendersWithChartsAndNoConsoleErrors() throws {
        let directory = NSTemporaryDirectory() + "report-browser-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let page = directory + "/report.html"
        try HTMLReport.render(HTMLAndCSVReportTests.withTraining).write(toFile: page, atomically: true, encoding: .utf8)

        let screenshot = try Self.runChromium(["--window-size=1200,2400", "--screenshot=\(directory)/page.png", "file://\(page)"])
        #expect(screenshot.status == 0, "\(screenshot.standardError)")
        let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/page.png"))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // A blank 1200x2400 page compresses to a few kilobytes; text, tables and charts do not.
        #expect(png.count > 40_000, "screenshot is \(png.count) bytes: the page looks blank")
        // The console must be clean: Chromium logs page errors as "CONSOLE" lines.
        #expect(!screenshot.standardError.contains("CONSOLE"), "\(screenshot.standardError)")

        // The DOM after layout holds every chart and its drawn marks.
        let dom = try Self.runChromium(["--dump-dom", "file://\(page)"])
        #expect(dom.status == 0)
        // model bars with intervals, sweep, rate, curves, stability, collisions
        #expect(dom.standardOutput.components(separatedBy: "<svg").count - 1 == 6)
        #expect(dom.standardOutput.components(separatedBy: "class=\"series\"").count - 1 == 2)
        #expect(dom.standardOutput.contains("<rect"))
    }
}
