import Foundation
import WorkbenchCore

/// Whole-file input and output with `-`/absent meaning the standard streams.
///
/// Nothing here traps: a full disk, `/dev/full` or a closed standard output is one error saying
/// what could not be written, where, and the system's reason.
public enum StandardStreams {
    /// Largest input read whole (`compress`, `decompress`, `encode --in`): 4 GiB. A bigger file,
    /// or a device such as /dev/zero that never ends, is refused with its size rather than read
    /// until memory runs out.
    public static let maxInputBytes = 1 << 32

    /// Reads a file, or standard input when `path` is nil or `-`.
    /// - Throws: `WorkbenchError` for a missing or unreadable file, a directory, a device, or a
    ///   file (or standard input) larger than `limit`, saying which.
    public static func read(_ path: String?, limit: Int = maxInputBytes) throws -> [UInt8] {
        guard let path, path != "-" else {
            return try readAll(descriptor: STDIN_FILENO, name: "standard input", limit: limit)
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw WorkbenchError("cannot read '\(path)': \(SystemWrite.reason(errno)); check the path and its permissions")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            guard Int(status.st_size) <= limit else {
                throw WorkbenchError(
                    "cannot read '\(path)': it has \(status.st_size) bytes, more than the \(limit) a file is read whole here; split it, or use a corpus (--corpus) which is streamed"
                )
            }
        case S_IFDIR:
            throw WorkbenchError("cannot read '\(path)': it is a directory; pass a file (a directory is a --corpus)")
        case S_IFCHR, S_IFBLK:
            throw WorkbenchError(
                "cannot read '\(path)': it is a device, not a file (a device such as /dev/zero may never end); pass a regular file, or pipe the bytes to standard input"
            )
        default: break  // pipes and sockets: read to their end, up to the limit
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw WorkbenchError("cannot read '\(path)': \(SystemWrite.reason(errno)); check the path and its permissions")
        }
        defer { close(descriptor) }
        return try readAll(descriptor: descriptor, name: "'\(path)'", limit: limit)
    }

    /// Reads a descriptor to its end, refusing more than `limit` bytes.
    private static func readAll(descriptor: Int32, name: String, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { readDescriptor(descriptor, into: $0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw WorkbenchError("cannot read \(name): \(SystemWrite.reason(errno))")
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else {
                throw WorkbenchError(
                    "cannot read \(name): it holds more than \(limit) bytes, the most read whole here; split the input")
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes a file atomically, or standard output when `path` is nil or `-`.
    /// - Parameter what: what the bytes are, for the error message ("the container").
    /// - Throws: `WorkbenchError` saying what could not be written, where, and why.
    public static func write(_ bytes: [UInt8], to path: String?, what: String) throws {
        guard let path, path != "-" else {
            try writeStandardOutput(bytes, what: what)
            return
        }
        var status = stat()
        if stat(path, &status) == 0, [S_IFCHR, S_IFIFO, S_IFSOCK].contains(status.st_mode & S_IFMT) {
            // A device or pipe (/dev/stdout, /dev/null, a FIFO) is written into, not replaced.
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw SystemWrite.failure(what, to: "'\(path)'", code: errno) }
            defer { close(descriptor) }
            if let code = SystemWrite.writeAll(bytes, to: descriptor) {
                throw SystemWrite.failure(what, to: "'\(path)'", code: code)
            }
            return
        }
        try CorpusJobRunner.createParentDirectory(of: path)
        try AtomicFile.write(bytes, to: path)
    }

    /// Writes to standard output, all or an error.
    /// - Throws: `WorkbenchError` "cannot write WHAT to standard output: REASON; REMEDY".
    public static func writeStandardOutput<Bytes: Collection>(_ bytes: Bytes, what: String) throws(WorkbenchError)
    where Bytes.Element == UInt8 {
        if let code = SystemWrite.writeAll(bytes, to: STDOUT_FILENO) {
            throw SystemWrite.failure(what, to: "standard output", code: code)
        }
    }

    /// Writes to standard error, ignoring failures: there is nowhere left to report them.
    public static func writeStandardError(_ data: Data) {
        _ = data.withUnsafeBytes { SystemWrite.writeAll($0, to: STDERR_FILENO) }
    }

    /// Call first thing in `main`: a standard stream that started closed (`>&-`) gets /dev/null
    /// opened in the other direction under its number, so that no file opened later takes that
    /// number (bytes meant for standard output would land in it) and every write to a closed
    /// standard output still fails with EBADF, as it should, instead of vanishing.
    public static func guardClosedDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO]
        where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", descriptor == STDIN_FILENO ? O_WRONLY : O_RDONLY)
            if null >= 0 && null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
        }
    }

    /// Call last in `main` after success: flushes what `print` buffered and turns a failure
    /// (a full disk, a closed stream) into one message and exit status 1 instead of silence.
    public static func finishStandardOutput() {
        errno = 0
        if fflush(stdout) != 0 || ferror(stdout) != 0 {
            let code = errno == 0 ? EIO : errno
            writeStandardError(
                Data("Error: \(SystemWrite.failure("the output", to: "standard output", code: code).message)\n".utf8))
            exit(1)
        }
    }

    /// True when standard error is a terminal (progress bars) rather than a log file.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// `read(2)` into a buffer (outside `StandardStreams`, whose own `read` would shadow it).
private func readDescriptor(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}
