import Foundation

/// Writing bytes to a file descriptor with the system's own reason on failure, never a trap.
///
/// Why not `FileHandle.write` or `Data.write`: the first traps on an error (a full disk, a closed
/// standard output), the second reports an `NSError` whose text names neither the errno nor what
/// to do. Every write failure the user sees says what, where, the system's reason and a remedy.
public enum SystemWrite {
    /// Writes every byte to `descriptor`, retrying short writes and interrupted calls.
    /// - Returns: nil on success, else the `errno` of the failing call.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var next = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if written == 0 { return EIO }
            next += written
            left -= written
        }
        return nil
    }

    /// Writes every byte of `bytes` to `descriptor`.
    /// - Returns: nil on success, else the `errno` of the failing call.
    public static func writeAll<Bytes: Collection>(_ bytes: Bytes, to descriptor: Int32) -> Int32?
    where Bytes.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ writeAll(UnsafeRawBufferPointer($0), to: descriptor) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    /// Creates a folder and its missing parents (`mkdir -p`).
    /// - Throws: `WorkbenchError` naming the folder that could not be made, the system's reason
    ///   and what to do (a file in the way, a read-only file system, a full disk).
    public static func makeDirectory(_ path: String) throws(WorkbenchError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw WorkbenchError("cannot create the folder '\(path)': a file of that name is in the way; choose another path")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            let code = errno
            throw WorkbenchError("cannot create the folder '\(path)': \(reason(code)); \(remedy(code))")
        }
    }

    /// The system's text for an errno value ("No space left on device").
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// What the user can do about a failed write, by errno.
    public static func remedy(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT, EFBIG: return "free disk space or write somewhere else"
        case EACCES, EPERM: return "check the permissions of the file and its directory"
        case EROFS: return "the file system is read-only; write somewhere else"
        case ENOENT, ENOTDIR: return "check that the directory exists"
        case EBADF: return "the stream is closed; redirect it to a file"
        case EPIPE: return "the reader went away"
        default: return "check the destination"
        }
    }

    /// The message for a file that could not be written: "cannot write 'PATH': REASON; REMEDY";
    /// nothing is left under `path` by the atomic writers.
    public static func failure(path: String, code: Int32) -> WorkbenchError {
        WorkbenchError("cannot write '\(path)': \(reason(code)); \(remedy(code))")
    }

    /// The message for a stream that could not be written: "cannot write WHAT to WHERE: REASON; REMEDY".
    public static func failure(_ what: String, to destination: String, code: Int32) -> WorkbenchError {
        WorkbenchError("cannot write \(what) to \(destination): \(reason(code)); \(remedy(code))")
    }
}
