import Foundation
import WorkbenchCore

/// Whole-file input and output with `-`/absent meaning the standard streams.
public enum StandardStreams {
    /// Reads a file, or standard input when `path` is nil or `-`.
    public static func read(_ path: String?) throws -> [UInt8] {
        guard let path, path != "-" else {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        return [UInt8](try readFile(path))
    }

    /// Writes a file atomically, or standard output when `path` is nil or `-`.
    public static func write(_ bytes: [UInt8], to path: String?) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        try AtomicFile.write(bytes, to: path)
    }

    private static func readFile(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw WorkbenchError("cannot read '\(path)': \(error.localizedDescription)")
        }
    }

    /// True when standard error is a terminal (progress bars) rather than a log file.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
