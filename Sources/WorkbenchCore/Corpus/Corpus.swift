import Foundation

/// A collection of documents read from a JSONL file, a plain file or a directory.
public struct Corpus: Sendable {
    /// How to read a corpus.
    public struct ReadOptions: Sendable {
        /// The JSON field holding each document's text (the reference code's format uses `text`).
        public var textField: String = "text"
        /// Skip and count lines that are not JSON or lack the field, instead of failing.
        public var skipBadLines: Bool = false
        /// For directories: which files to read (`fnmatch` pattern on the file name).
        public var glob: String = "*"

        /// Creates options.
        public init(textField: String = "text", skipBadLines: Bool = false, glob: String = "*") {
            self.textField = textField
            self.skipBadLines = skipBadLines
            self.glob = glob
        }
    }

    /// A short name for reports: the manifest's name, or the file name without extension.
    public var name: String
    /// The path it was read from.
    public var path: String
    /// SHA-256 of the file's bytes; for a directory, of the sorted lines `sha256  relative/path`.
    public var sha256: String
    /// Every document, in file order.
    public var documents: [CorpusDocument]
    /// JSONL lines skipped with `--skip-bad-lines`, each as `file:line: reason`.
    public var skippedLines: [String]

    /// Documents of one split.
    public func documents(in split: CorpusSplit) -> [CorpusDocument] {
        documents.filter { split.contains($0.split) }
    }

    /// Reads a corpus.
    /// - Throws: `WorkbenchError` naming the path (and line) for a missing or unreadable path, a
    ///   bad JSONL line, or a corpus without documents.
    public static func load(path: String, options: ReadOptions = ReadOptions()) throws(WorkbenchError) -> Corpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw WorkbenchError("corpus '\(path)' does not exist; pass --corpus with a JSONL file, a file or a directory")
        }
        let corpus: Corpus
        if isDirectory.boolValue {
            corpus = try loadDirectory(path, options: options)
        } else {
            let data = try readFile(path)
            let name = manifestName(for: path) ?? baseName(path)
            let digest = data.withUnsafeBytes { SHA256.hexDigest($0) }
            if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") {
                let (documents, skipped) = try JSONLines.documents(
                    in: data, file: path, textField: options.textField, skipBadLines: options.skipBadLines)
                corpus = Corpus(name: name, path: path, sha256: digest, documents: documents, skippedLines: skipped)
            } else {
                corpus = Corpus(
                    name: name, path: path, sha256: digest,
                    documents: [CorpusDocument(bytes: [UInt8](data), source: path)], skippedLines: [])
            }
        }
        guard !corpus.documents.isEmpty else {
            var message = "corpus '\(path)' has no documents"
            if !corpus.skippedLines.isEmpty { message += " (\(corpus.skippedLines.count) bad lines were skipped)" }
            if isDirectory.boolValue { message += "; no file matched --glob '\(options.glob)'" }
            throw WorkbenchError(message)
        }
        return corpus
    }

    static func readFile(_ path: String) throws(WorkbenchError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw WorkbenchError("cannot read '\(path)': \(error.localizedDescription); check the path and its permissions")
        }
    }

    static func baseName(_ path: String) -> String {
        let file = URL(fileURLWithPath: path).lastPathComponent
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file
    }

    /// The name a `MANIFEST.json` beside the file gives it, if any.
    static func manifestName(for path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let manifestURL = url.deletingLastPathComponent().appendingPathComponent("MANIFEST.json")
        guard let manifest = try? CorpusManifest.load(from: manifestURL.path) else { return nil }
        return manifest.corpora.first { $0.file == url.lastPathComponent }?.name
    }

    private static func loadDirectory(_ path: String, options: ReadOptions) throws(WorkbenchError) -> Corpus {
        let relativePaths = try CorpusStream.listFiles(path, glob: options.glob)
        var documents: [CorpusDocument] = []
        var listing = ""
        for relative in relativePaths {
            let data = try readFile((path as NSString).appendingPathComponent(relative))
            let bytes = [UInt8](data)
            listing += "\(SHA256.hexDigest(bytes))  \(relative)\n"
            documents.append(CorpusDocument(bytes: bytes, source: relative))
        }
        return Corpus(
            name: baseName(path), path: path, sha256: SHA256.hexDigest(Array(listing.utf8)),
            documents: documents, skippedLines: [])
    }
}
