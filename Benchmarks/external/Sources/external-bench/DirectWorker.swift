import Foundation
import WorkbenchCore

/// The direct side as a long-lived child: `direct.py --serve` has loaded the plugin module and
/// the corpus once, and runs one timed pass each time it is asked. Kept alive so a direct pass
/// can run right next to a host pass, seconds apart at most.
final class DirectWorker {
    /// What one direct pass measured.
    struct Pass: Decodable {
        var encodeSeconds: Double
        var decodeSeconds: Double
        var symbols: Int
        var sha256: String

        enum CodingKeys: String, CodingKey {
            case encodeSeconds = "encode_seconds", decodeSeconds = "decode_seconds", symbols, sha256
        }
    }

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var pending = Data()

    /// Starts `command` (an executable searched on PATH, then its arguments).
    init(command: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    /// Runs one pass in the worker and returns its timings.
    func pass() throws -> Pass {
        input.fileHandleForWriting.write(Data("pass\n".utf8))
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                do {
                    return try JSONDecoder().decode(Pass.self, from: line)
                } catch {
                    throw WorkbenchError("the direct worker answered '\(String(decoding: line, as: UTF8.self))': \(error)")
                }
            }
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { throw WorkbenchError("the direct worker exited (its stderr is above)") }
            pending += more
        }
    }

    /// Closes the worker's stdin (it exits at EOF) and waits for it.
    func finish() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
