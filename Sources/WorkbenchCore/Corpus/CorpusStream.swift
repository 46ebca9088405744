import Foundation

/// The corpus reader: one document at a time, files one at a time, so memory is bounded by the
/// longest document rather than by the corpus. `Corpus.load` is this reader collecting every
/// document.
///
/// Documents are numbered by unit (see `ShardAssignment`): a directory's files, a JSONL file's
/// non-blank lines, or the one plain file.
public struct CorpusStream: Sendable {
    /// What the path is.
    public enum Kind: Sendable, Equatable {
        /// JSON Lines: one document per non-blank line.
        case jsonLines
        /// A plain file: one document.
        case plainFile
        /// A directory: one document per matching file, in sorted relative-path order.
        case directory(files: [String])
    }

    /// A short name for reports (as `Corpus.name`).
    public let name: String
    /// The path it reads.
    public let path: String
    /// How the path is read.
    public let kind: Kind
    /// Reading options (text field, bad-line policy, directory glob).
    public let options: Corpus.ReadOptions
    /// Which split near-duplicate documents go to (nil: the exact rule, a hash of each document).
    public var splitAssignment: SplitAssignment?

    /// What one pass over every byte of the corpus learns: its fingerprint and its unit count.
    public struct Scan: Sendable, Equatable {
        /// SHA-256 as `Corpus.sha256` defines it.
        public var sha256: String
        /// How many units (documents, counting JSONL lines that may turn out bad).
        public var unitCount: Int

        /// Creates a scan result (for a fingerprint known in advance).
        public init(sha256: String, unitCount: Int) {
            self.sha256 = sha256
            self.unitCount = unitCount
        }
    }

    /// Opens a corpus for streaming (it reads nothing but a directory listing).
    /// - Throws: `WorkbenchError` when the path does not exist or cannot be listed.
    public init(path: String, options: Corpus.ReadOptions = Corpus.ReadOptions()) throws(WorkbenchError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw WorkbenchError("corpus '\(path)' does not exist; pass --corpus with a JSONL file, a file or a directory")
        }
        self.path = path
        self.options = options
        if isDirectory.boolValue {
            kind = .directory(files: try CorpusStream.listFiles(path, glob: options.glob))
            name = CorpusStream.baseName(path)
        } else {
            kind = path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") ? .jsonLines : .plainFile
            name = CorpusStream.manifestName(for: path) ?? CorpusStream.baseName(path)
        }
    }

    /// Reads every byte once (in fixed-size chunks) for the fingerprint and unit count.
    /// - Throws: `WorkbenchError` for an unreadable file or a corpus without units.
    public func scan() throws(WorkbenchError) -> Scan {
        let result: Scan
        switch kind {
        case .plainFile:
            var hasher = SHA256()
            try CorpusStream.readChunks(path) { hasher.update($0) }
            result = Scan(sha256: SHA256.hex(hasher.finalize()), unitCount: 1)
        case .jsonLines:
            var hasher = SHA256()
            var count = 0
            var lineHasContent = false
            try CorpusStream.readChunks(path) { chunk in
                hasher.update(chunk)
                for byte in chunk {
                    switch byte {
                    case UInt8(ascii: "\n"):
                        if lineHasContent { count += 1 }
                        lineHasContent = false
                    case 0x20, 0x09, 0x0d: break
                    default: lineHasContent = true
                    }
                }
            }
            if lineHasContent { count += 1 }
            result = Scan(sha256: SHA256.hex(hasher.finalize()), unitCount: count)
        case .directory(let files):
            var listing = ""
            for relative in files {
                var hasher = SHA256()
                try CorpusStream.readChunks(fullPath(relative)) { hasher.update($0) }
                listing += "\(SHA256.hex(hasher.finalize()))  \(relative)\n"
            }
            result = Scan(sha256: SHA256.hexDigest(Array(listing.utf8)), unitCount: files.count)
        }
        guard result.unitCount > 0 else { throw noDocuments(skipped: []) }
        return result
    }

    /// What one pass that reads every document learns besides the documents.
    public struct Survey: Sendable, Equatable {
        /// SHA-256 as `scan` computes it.
        public var sha256: String
        /// Units read (documents and bad lines).
        public var unitCount: Int
        /// JSONL lines skipped with `skipBadLines`, as `file:line: reason`.
        public var skippedLines: [String]
    }

    /// Reads every document once, in corpus order, fingerprinting the bytes as they are read, so a
    /// caller that needs both the documents and the fingerprint reads the corpus once.
    /// - Throws: `WorkbenchError` for an unreadable file, a bad JSONL line (unless skipping) or a
    ///   corpus without documents; or what `body` throws.
    public func survey(_ body: (CorpusDocument) throws(WorkbenchError) -> Void) throws(WorkbenchError) -> Survey {
        var hasher = SHA256()
        var listing = ""
        var units = 0
        var documents = 0
        var skipped: [String] = []
        do {
            try forEachRawDocument(observingBytes: { hasher.update($0) }) { raw in
                units += 1
                if case .directory = kind {
                    listing += "\(SHA256.hexDigest(raw.bytes))  \(raw.source)\n"
                }
                switch try decode(raw, split: .all) {
                case .document(let document):
                    documents += 1
                    try body(document)
                case .otherSplit: break
                case .skipped(let line): skipped.append(line)
                }
            }
        } catch let error as WorkbenchError {
            throw error
        } catch {
            throw WorkbenchError("\(error)")
        }
        guard documents > 0 else { throw noDocuments(skipped: skipped) }
        let digest: String
        if case .directory = kind {
            digest = SHA256.hexDigest(Array(listing.utf8))
        } else {
            digest = SHA256.hex(hasher.finalize())
        }
        return Survey(sha256: digest, unitCount: units, skippedLines: skipped)
    }

    /// The error for a corpus that yields no document, saying why.
    private func noDocuments(skipped: [String]) -> WorkbenchError {
        if !skipped.isEmpty {
            let shown = skipped.prefix(3).joined(separator: "; ") + (skipped.count > 3 ? "; ..." : "")
            return WorkbenchError(
                "corpus '\(path)' has no documents: all \(skipped.count) of its lines were skipped as bad (\(shown)); fix them or choose the field with --text-field"
            )
        }
        if case .directory = kind {
            return WorkbenchError("corpus '\(path)' has no documents: no file matched --glob '\(options.glob)'")
        }
        return WorkbenchError("corpus '\(path)' has no documents")
    }

    /// One unit as read, before JSON parsing and split assignment (both of which a caller may
    /// run on several threads with `decode`).
    public struct RawDocument: Sendable {
        /// The document bytes, or for JSONL the line's bytes.
        public var bytes: [UInt8]
        /// `file:line` for JSONL, the relative path for a directory, the path for a plain file.
        public var source: String
        /// Whether `bytes` is a JSONL line still to be parsed.
        public var isJSONLine: Bool
    }

    /// What `decode` makes of one raw unit.
    public enum Decoded: Sendable {
        /// A document of the wanted split.
        case document(CorpusDocument)
        /// A document of another split.
        case otherSplit
        /// A bad JSONL line skipped under `skipBadLines`: `file:line: reason`.
        case skipped(String)
    }

    /// Parses a raw unit (JSONL) and assigns its split. Safe to call from any thread.
    /// - Throws: `WorkbenchError` naming `file:line` for a bad line unless `skipBadLines`.
    public func decode(_ raw: RawDocument, split: CorpusSplit) throws(WorkbenchError) -> Decoded {
        let document: CorpusDocument
        if raw.isJSONLine {
            switch JSONLines.parse(Data(raw.bytes), textField: options.textField) {
            case .success(let text):
                document = CorpusDocument(bytes: Array(text.utf8), source: raw.source, assignment: splitAssignment)
            case .failure(let reason):
                let located = "\(raw.source): \(reason.message)"
                guard options.skipBadLines else {
                    throw WorkbenchError(located + "; fix the line, choose the field with --text-field, or pass --skip-bad-lines")
                }
                return .skipped(located)
            }
        } else {
            document = CorpusDocument(bytes: raw.bytes, source: raw.source, assignment: splitAssignment)
        }
        return split.contains(document.split) ? .document(document) : .otherSplit
    }

    /// The fingerprint alone (`Scan.sha256`), one pass over every byte.
    /// - Throws: `WorkbenchError` for an unreadable file.
    public func fingerprint() throws(WorkbenchError) -> String {
        switch kind {
        case .plainFile, .jsonLines:
            var hasher = SHA256()
            try CorpusStream.readChunks(path) { hasher.update($0) }
            return SHA256.hex(hasher.finalize())
        case .directory:
            return try scan().sha256
        }
    }

    /// Counts units without fingerprinting: a directory's listing, or one pass counting a JSONL
    /// file's non-blank lines (no hashing, no parsing), for a run given the fingerprint.
    /// - Throws: `WorkbenchError` for an unreadable file or a corpus without units.
    public func countUnits() throws(WorkbenchError) -> Int {
        let count: Int
        switch kind {
        case .plainFile: count = 1
        case .directory(let files): count = files.count
        case .jsonLines:
            var lines = 0
            var lineHasContent = false
            try CorpusStream.readChunks(path) { chunk in
                for byte in chunk {
                    if byte == UInt8(ascii: "\n") {
                        if lineHasContent { lines += 1 }
                        lineHasContent = false
                    } else if byte != 0x20 && byte != 0x09 && byte != 0x0d {
                        lineHasContent = true
                    }
                }
            }
            count = lines + (lineHasContent ? 1 : 0)
        }
        guard count > 0 else { throw noDocuments(skipped: []) }
        return count
    }

    /// Calls `body` with each raw unit of `units`, in corpus order, one at a time; for a
    /// directory only the files in `units` are opened, and for JSONL only the lines in `units`
    /// are kept (the others are counted, not parsed).
    /// - Throws: `WorkbenchError` for an unreadable file, or what `body` throws.
    public func forEachRawDocument(units: Range<Int>? = nil, _ body: (RawDocument) throws -> Void) throws {
        try forEachRawDocument(units: units, observingBytes: nil, body)
    }

    /// `forEachRawDocument`, with `observe` called on the bytes of the file(s) as they are read
    /// (for a JSONL file every byte, blank lines and newlines included; for the others each
    /// document's bytes).
    private func forEachRawDocument(
        units: Range<Int>? = nil, observingBytes observe: ((UnsafeBufferPointer<UInt8>) -> Void)?,
        _ body: (RawDocument) throws -> Void
    ) throws {
        let wanted = units ?? 0..<Int.max
        switch kind {
        case .plainFile:
            guard wanted.contains(0) else { return }
            let bytes = try CorpusStream.readFile(path)
            if let observe { bytes.withUnsafeBufferPointer(observe) }
            try body(RawDocument(bytes: bytes, source: path, isJSONLine: false))
        case .directory(let files):
            for index in files.indices where wanted.contains(index) {
                let bytes = try CorpusStream.readFile(fullPath(files[index]))
                if let observe { bytes.withUnsafeBufferPointer(observe) }
                try body(RawDocument(bytes: bytes, source: files[index], isJSONLine: false))
            }
        case .jsonLines:
            var reader = try LineReader(path: path, observe: observe)
            defer { reader.close() }
            var lineNumber = 0
            var unit = -1
            while let line = try reader.nextLine() {
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }) { continue }
                unit += 1
                if unit < wanted.lowerBound { continue }
                if unit >= wanted.upperBound { break }
                try body(RawDocument(bytes: Array(line), source: "\(path):\(lineNumber)", isJSONLine: true))
            }
        }
    }

    /// Calls `body` with each document of `units` that belongs to `split`, in corpus order, one
    /// at a time (the single-threaded form of `forEachRawDocument` + `decode`).
    /// - Returns: the JSONL lines skipped (`file:line: reason`) with `skipBadLines`.
    /// - Throws: `WorkbenchError` naming `file:line` for a bad line (unless skipping), or what
    ///   `body` throws.
    @discardableResult
    public func forEachDocument(
        units: Range<Int>? = nil, split: CorpusSplit = .all, _ body: (CorpusDocument) throws -> Void
    ) throws -> [String] {
        var skipped: [String] = []
        try forEachRawDocument(units: units) { raw in
            switch try decode(raw, split: split) {
            case .document(let document): try body(document)
            case .otherSplit: break
            case .skipped(let line): skipped.append(line)
            }
        }
        return skipped
    }

    private func fullPath(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    /// A whole file's bytes.
    /// - Throws: `WorkbenchError` naming the path and the system's reason.
    static func readFile(_ path: String) throws(WorkbenchError) -> [UInt8] {
        var bytes: [UInt8] = []
        try readChunks(path) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The file name without its extension.
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

    /// The sorted relative paths of a directory's files that match `glob`, subfolders included
    /// (symbolic links to folders are not followed: they could loop).
    /// - Throws: `WorkbenchError` naming a folder that cannot be listed and the system's reason
    ///   ("Permission denied"), rather than reading it as a corpus without documents.
    static func listFiles(_ path: String, glob: String) throws(WorkbenchError) -> [String] {
        var relativePaths: [String] = []
        try collectFiles(root: path, relative: "", glob: glob, into: &relativePaths)
        return relativePaths.sorted()
    }

    private static func collectFiles(
        root: String, relative: String, glob: String, into relativePaths: inout [String]
    ) throws(WorkbenchError) {
        let directory = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
        guard let handle = opendir(directory) else {
            throw WorkbenchError(
                "cannot read directory '\(directory)': \(String(cString: strerror(errno))); every folder of a directory corpus must be readable (check its permissions), or pass --glob to read other files"
            )
        }
        defer { closedir(handle) }
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 {
                    throw WorkbenchError("cannot read directory '\(directory)': \(String(cString: strerror(errno)))")
                }
                return
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            let full = (root as NSString).appendingPathComponent(child)
            var status = stat()
            guard lstat(full, &status) == 0 else { continue }
            var kind = status.st_mode & S_IFMT
            if kind == S_IFLNK {
                guard stat(full, &status) == 0 else { continue }  // a dangling link
                kind = status.st_mode & S_IFMT
                if kind == S_IFDIR { continue }
            }
            if kind == S_IFDIR {
                try collectFiles(root: root, relative: child, glob: glob, into: &relativePaths)
            } else if fnmatch(glob, name, 0) == 0 {
                relativePaths.append(child)
            }
        }
    }

    /// Reads a file in 1 MiB chunks (every chunk but the last is full), for hashing and copying
    /// files of any size in bounded memory.
    /// - Throws: `WorkbenchError` naming the path when it cannot be opened or read.
    public static func readChunks(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(WorkbenchError) {
        guard let file = fopen(path, "rb") else {
            throw WorkbenchError("cannot read '\(path)': \(String(cString: strerror(errno))); check the path and its permissions")
        }
        defer { fclose(file) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if read > 0 { chunk.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<read])) } }
            if read < chunk.count {
                if ferror(file) != 0 { throw WorkbenchError("error reading '\(path)': \(String(cString: strerror(errno)))") }
                return
            }
        }
    }
}
