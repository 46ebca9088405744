import Foundation

/// Writes a large file piece by piece so that it appears under its name only when complete:
/// bytes go to a temporary file in the same directory, and `commit` flushes and renames it.
///
/// Why not `AtomicFile.write`: that takes the whole file in memory, and streaming commands must
/// hold only a batch. Size and SHA-256 are computed on the way, for completion markers.
public final class AtomicFileWriter {
    /// The final path.
    public let path: String
    private let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?
    private var hasher = SHA256()
    /// Bytes written so far.
    public private(set) var byteCount = 0

    /// The temporary name used for `path` by this process: `.<name>.tmp-<pid>` beside it.
    public static func temporaryPath(for path: String) -> String { AtomicFile.temporaryPath(for: path) }

    /// Creates the temporary file.
    /// - Throws: `WorkbenchError` naming the path when its directory is missing or not writable.
    public init(path: String) throws(WorkbenchError) {
        self.path = path
        try AtomicFile.refuseNonRegularTarget(path)
        temporaryPath = AtomicFileWriter.temporaryPath(for: path)
        guard let file = fopen(temporaryPath, "wb") else { throw SystemWrite.failure(path: path, code: errno) }
        self.file = file
    }

    deinit { abandon() }

    /// Appends bytes.
    /// - Throws: `WorkbenchError` when the disk is full (the temporary file is then removed) or
    ///   the file was already committed.
    public func write<Bytes: Collection>(_ bytes: Bytes) throws(WorkbenchError) where Bytes.Element == UInt8 {
        guard let file else { throw WorkbenchError("'\(path)' was already committed or abandoned") }
        hasher.update(bytes)
        let written: Int? = bytes.withContiguousStorageIfAvailable { buffer in
            fwrite(buffer.baseAddress, 1, buffer.count, file)
        }
        let count = written ?? Array(bytes).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard count == bytes.count else {
            let code = errno
            abandon()
            throw SystemWrite.failure(path: path, code: code)
        }
        byteCount += count
    }

    /// Flushes to disk and renames the file into place.
    /// - Returns: the size and SHA-256 of what was written.
    /// - Throws: `WorkbenchError` when flushing or renaming fails (the temporary file is removed).
    @discardableResult
    public func commit() throws(WorkbenchError) -> OutputFileRecord {
        guard let file else { throw WorkbenchError("'\(path)' was already committed or abandoned") }
        self.file = nil
        var failure: Int32? = nil
        if fflush(file) != 0 || fsync(fileno(file)) != 0 { failure = errno }
        if fclose(file) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporaryPath, path) != 0 { failure = errno }
        if let failure {
            unlink(temporaryPath)
            throw SystemWrite.failure(path: path, code: failure)
        }
        return OutputFileRecord(
            name: URL(fileURLWithPath: path).lastPathComponent, bytes: byteCount, sha256: SHA256.hex(hasher.finalize()))
    }

    /// Removes the temporary file without touching `path` (after an error).
    public func abandon() {
        guard let file else { return }
        self.file = nil
        fclose(file)
        unlink(temporaryPath)
    }
}
