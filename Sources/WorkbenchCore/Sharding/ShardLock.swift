import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Exclusive ownership of one shard while a process writes it.
///
/// Why: a relaunch that overlaps a still-running task (a Slurm requeue, a rank typed twice)
/// would have two processes clear and write the same `shard-R-of-N` files. The second one is
/// refused instead. The lock is an advisory `flock` on `.shard-R-of-N.lock`, so it is released
/// when the holder exits, even killed, and a relaunch after a crash is not blocked. Across
/// machines it holds where the shared file system carries `flock` (Linux NFS maps it to
/// byte-range locks unless mounted `nolock` or `local_lock=flock`; Lustre needs `-o flock`).
/// Where locking is not supported at all the run goes on unguarded, as before locks existed,
/// and `unsupported` says why. The empty lock file stays: deleting it would let a third process
/// lock a fresh file while the second still holds the old one (directory listings skip it).
public final class ShardLock {
    private let descriptor: Int32
    /// The lock file.
    public let path: String
    /// Why no lock is held (the file system does not support `flock`), for a warning; nil when
    /// the lock is held.
    public let unsupported: String?

    /// The lock file's suffix after `.shard-R-of-N`.
    static let fileSuffix = ".lock"

    /// Takes the lock, or refuses when another process holds it.
    /// - Throws: `WorkbenchError` naming the holder (its pid and host, as it wrote them) when the
    ///   shard is taken, or when the lock file cannot be created.
    public init(_ assignment: ShardAssignment, in directory: ShardDirectory) throws(WorkbenchError) {
        path = directory.file("." + assignment.stem + ShardLock.fileSuffix)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WorkbenchError(
                "cannot create the lock file '\(path)': \(String(cString: strerror(errno))); check the --out directory's permissions"
            )
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = ShardLock.holder(descriptor)
            close(descriptor)
            if [ENOLCK, ENOSYS, EOPNOTSUPP].contains(reason) {
                self.descriptor = -1
                unsupported =
                    "cannot lock '\(path)' (\(String(cString: strerror(reason)))): this file system does not support flock, so nothing stops two processes from writing \(assignment.stem) at once; launch each rank once"
                return
            }
            guard reason == EWOULDBLOCK else {
                throw WorkbenchError("cannot lock '\(path)': \(String(cString: strerror(reason)))")
            }
            throw WorkbenchError(
                "\(assignment.stem) in '\(directory.path)' is being written by another process (\(holder ?? "holder unknown"), lock \(path)); give every task its own --rank, or wait for it to finish (a completed shard is then skipped)"
            )
        }
        self.descriptor = descriptor
        unsupported = nil
        let owner = Array("pid \(getpid()) on \(ProcessInfo.processInfo.hostName)\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = owner.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }  // Releases the lock.
    }

    /// What the holder wrote into the lock file (`pid N on HOST`).
    private static func holder(_ descriptor: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 256)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard read > 0 else { return nil }
        let text = String(decoding: bytes[0..<read], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
