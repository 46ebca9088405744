import Foundation

/// One output file as a completion marker records it: name (relative to the marker), size and
/// SHA-256, recomputed on relaunch and on merge to detect a missing or truncated file.
public struct OutputFileRecord: Sendable, Codable, Equatable {
    /// File name, relative to the marker's directory.
    public var name: String
    /// Size in bytes.
    public var bytes: Int
    /// Lowercase hex SHA-256 of the contents.
    public var sha256: String

    /// Creates a record.
    public init(name: String, bytes: Int, sha256: String) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
    }

    /// Why the file in `directory` does not match this record, or nil when it does. Size is
    /// checked first, so a truncated file is reported without hashing it.
    public func mismatch(in directory: String) -> String? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue
        else { return "\(name) is missing" }
        guard size == bytes else { return "\(name) has \(size) bytes, the marker says \(bytes) (truncated or replaced)" }
        var hasher = SHA256()
        do {
            try CorpusStream.readChunks(path) { hasher.update($0) }
        } catch {
            return "\(name) cannot be read: \(error.message)"
        }
        let digest = SHA256.hex(hasher.finalize())
        return digest == sha256
            ? nil : "\(name) has SHA-256 \(digest.prefix(12))…, the marker says \(sha256.prefix(12))… (corrupted)"
    }
}
