import Foundation
import WorkbenchCore

/// Copies a trained artifact (a BPE tokenizer, the `ac` model M1) into a run's `artifacts/<id>/`
/// so the run holds what produced it, as the README promises: all or nothing.
///
/// The copy goes to a temporary folder beside the target, every file flushed, then is renamed
/// into place: a full disk leaves the run without the copy, never with a truncated
/// `tokenizer.json` that looks whole. A target that already holds the same files is left as it
/// is (a comparison builds the same compressor in several processes: rate, stats and each timed
/// pass). A failure is warned about once per run and artifact, across those processes: the first
/// to fail leaves an empty `.<id>.warned` marker (creating an empty file needs no data block);
/// a later success removes it.
public struct ArtifactRecorder: Sendable {
    /// `<run>/artifacts`.
    public let artifactsDirectory: String
    /// Where the one warning goes.
    public let warn: @Sendable (String) -> Void

    /// A recorder into `artifactsDirectory` that warns through `warn` (default: the log).
    public init(artifactsDirectory: String, warn: (@Sendable (String) -> Void)? = nil) {
        self.artifactsDirectory = artifactsDirectory
        self.warn = warn ?? { log.warning("\($0)") }
    }

    nonisolated(unsafe) private static var warned: Set<String> = []
    private static let warnedLock = NSLock()

    /// Records the artifact folder `source` as `<artifacts>/<id>`; on failure warns (once) and
    /// leaves no partial copy. Never throws: the run goes on without its copy.
    public func record(id: String, from source: String) {
        let target = artifactsDirectory + "/" + id
        let marker = artifactsDirectory + "/.\(id).warned"
        if ArtifactRecorder.sameContents(source, target) { return }
        do {
            try copyAtomically(from: source, to: target)
            unlink(marker)
        } catch {
            let fresh = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            let markedBefore = fresh < 0 && errno == EEXIST
            if fresh >= 0 { close(fresh) }
            // The marker spans processes; the set covers a file system too full for even it.
            let warnedHere = !ArtifactRecorder.warnedLock.withLock { ArtifactRecorder.warned.insert(target).inserted }
            guard !markedBefore && !warnedHere else { return }
            warn(
                "could not record the \(id) artifact in \(target): \(error); the run goes on without its copy (the artifact stays in \(source))"
            )
        }
    }

    private func copyAtomically(from source: String, to target: String) throws {
        let manager = FileManager.default
        try SystemWrite.makeDirectory(artifactsDirectory)
        let temporary = artifactsDirectory + "/.\(URL(fileURLWithPath: target).lastPathComponent).tmp-\(getpid())"
        try? manager.removeItem(atPath: temporary)
        do {
            try ArtifactRecorder.copyTree(from: source, to: temporary)
            let previous = artifactsDirectory + "/.\(URL(fileURLWithPath: target).lastPathComponent).old-\(getpid())"
            if manager.fileExists(atPath: target) {
                guard rename(target, previous) == 0 else { throw SystemWrite.failure(path: target, code: errno) }
            }
            guard rename(temporary, target) == 0 else {
                let code = errno
                // Another process of the same run may have put its identical copy there first.
                if ArtifactRecorder.sameContents(source, target) {
                    try? manager.removeItem(atPath: previous)
                    try? manager.removeItem(atPath: temporary)
                    return
                }
                _ = rename(previous, target)
                throw SystemWrite.failure(path: target, code: code)
            }
            try? manager.removeItem(atPath: previous)
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Copies a folder's files (recursively) with every write checked and flushed.
    static func copyTree(from source: String, to destination: String) throws {
        guard mkdir(destination, 0o755) == 0 else { throw SystemWrite.failure(path: destination, code: errno) }
        let names = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
        for name in names {
            let from = source + "/" + name
            let to = destination + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try copyTree(from: from, to: to)
                continue
            }
            let output = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard output >= 0 else { throw SystemWrite.failure(path: to, code: errno) }
            var failure: Int32? = nil
            do {
                try CorpusStream.readChunks(from) { chunk in
                    if failure == nil { failure = SystemWrite.writeAll(UnsafeRawBufferPointer(chunk), to: output) }
                }
            } catch {
                close(output)
                throw error
            }
            if failure == nil, fsync(output) != 0 { failure = errno }
            if close(output) != 0, failure == nil { failure = errno }
            if let failure { throw SystemWrite.failure(path: to, code: failure) }
        }
    }

    /// Whether two folders hold the same files with the same bytes.
    static func sameContents(_ a: String, _ b: String) -> Bool {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: b, isDirectory: &isDirectory), isDirectory.boolValue,
            let left = try? manager.contentsOfDirectory(atPath: a).sorted(),
            let right = try? manager.contentsOfDirectory(atPath: b).sorted(), left == right
        else { return false }
        for name in left {
            var leftIsDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: a + "/" + name, isDirectory: &leftIsDirectory)
            if leftIsDirectory.boolValue {
                guard sameContents(a + "/" + name, b + "/" + name) else { return false }
            } else if !manager.contentsEqual(atPath: a + "/" + name, andPath: b + "/" + name) {
                return false
            }
        }
        return true
    }
}
