import Foundation

/// Writes files so that a crash never leaves a half-written file that looks whole.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file in the same directory, flushes it, then renames it over
    /// `path` (rename is atomic within one file system). On any failure the temporary file is
    /// removed and `path` is left as it was.
    /// - Throws: `WorkbenchError` naming the path, the system's reason and what to do.
    public static func write<Bytes: Collection>(_ bytes: Bytes, to path: String) throws(WorkbenchError)
    where Bytes.Element == UInt8 {
        try refuseNonRegularTarget(path)
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemWrite.failure(path: path, code: errno) }
        var failure = SystemWrite.writeAll(bytes, to: descriptor)
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw SystemWrite.failure(path: path, code: failure)
        }
    }

    /// Writes UTF-8 text atomically.
    public static func write(text: String, to path: String) throws(WorkbenchError) {
        try write(Array(text.utf8), to: path)
    }

    /// Encodes a value as pretty, key-sorted JSON and writes it atomically.
    /// - Throws: `WorkbenchError` naming the field when a number is NaN or infinite (JSON has no
    ///   such numbers), or the write's failure.
    public static func writeJSON<Value: Encodable>(_ value: Value, to path: String) throws(WorkbenchError) {
        try write(try encodeJSON(value, for: path) + [UInt8(ascii: "\n")], to: path)
    }

    /// Pretty, key-sorted JSON of `value`.
    /// - Throws: `WorkbenchError` naming `path` and the field when a number is NaN or infinite.
    public static func encodeJSON<Value: Encodable>(_ value: Value, for path: String) throws(WorkbenchError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch EncodingError.invalidValue(let bad, let context) {
            let field = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            throw WorkbenchError(
                "cannot write '\(path)': field '\(field.isEmpty ? "<top>" : field)' is \(bad), which JSON cannot hold; nothing was written (a NaN or infinite value means a computation diverged or an option was not a finite number)"
            )
        } catch {
            throw WorkbenchError("cannot write '\(path)': \(error)")
        }
    }

    /// Refuses a target that exists but is not a regular file (a device such as /dev/stdout, a
    /// directory, a pipe): renaming over it would replace it (as root, a device node) instead of
    /// writing into it.
    /// - Throws: `WorkbenchError` naming the path and what it is.
    public static func refuseNonRegularTarget(_ path: String) throws(WorkbenchError) {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        let what =
            switch kind {
            case S_IFDIR: "a directory"
            case S_IFCHR, S_IFBLK: "a device"
            default: "not a regular file"
            }
        throw WorkbenchError(
            "cannot write '\(path)': it is \(what), and files are written to a temporary name then renamed, which would replace it; give the path of a regular file (or omit --out to write to standard output)"
        )
    }

    /// The temporary name used for `path` by this process: `.<name>.tmp-<pid>` beside it.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
    }
}
