import Foundation

/// Writes files so that a crash never leaves a half-written file that looks whole.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file in the same directory, flushes it, then renames it over
    /// `path` (rename is atomic within one file system).
    /// - Throws: `WorkbenchError` naming the path and what to do.
    public static func write<Bytes: Collection>(_ bytes: Bytes, to path: String) throws(WorkbenchError)
    where Bytes.Element == UInt8 {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try Data(bytes).write(to: temporary, options: [])
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw WorkbenchError(String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WorkbenchError("cannot write '\(path)': \(error); check that the directory exists and is writable")
        }
    }

    /// Writes UTF-8 text atomically.
    public static func write(text: String, to path: String) throws(WorkbenchError) {
        try write(Array(text.utf8), to: path)
    }

    /// Encodes a value as pretty, key-sorted JSON and writes it atomically.
    public static func writeJSON<Value: Encodable>(_ value: Value, to path: String) throws(WorkbenchError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw WorkbenchError("cannot encode JSON for '\(path)': \(error)")
        }
        try write(Array(data) + [UInt8(ascii: "\n")], to: path)
    }
}
