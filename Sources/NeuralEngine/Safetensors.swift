import Foundation

/// A tensor read from or written to a safetensors file (float32 only in this engine).
public struct NamedTensor: Equatable, Sendable {
    /// Tensor name in the file.
    public var name: String
    /// Row-major shape.
    public var shape: [Int]
    /// The floats, row-major.
    public var values: [Float]
    /// A tensor; `values.count` must equal the product of `shape`.
    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name; self.shape = shape; self.values = values
    }
}

/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a
/// JSON header mapping each tensor name to dtype, shape and byte offsets (plus a
/// `__metadata__` map of strings), then the raw little-endian data.
///
/// Files written here carry `__metadata__["checksum"] = "crc32:XXXXXXXX"`: the CRC-32 of the
/// whole file (header and data) with those 8 hex digits read as `0`s. Any flipped bit, in a
/// tensor or in the header, is refused on load. Other safetensors readers ignore the key.
public enum Safetensors {
    /// Largest header accepted (a guard against absurd lengths in corrupt files).
    static let maxHeaderBytes = 100 << 20
    /// The metadata key holding the checksum.
    public static let checksumKey = "checksum"
    /// What precedes the 8 hex digits in the header.
    static let checksumMarker = Array("\"\(checksumKey)\":\"crc32:".utf8)

    /// A parsed file: its metadata and its tensor table (data not yet converted).
    public struct File {
        /// The `__metadata__` map.
        public var metadata: [String: String]
        /// Entry per tensor: dtype, shape and byte range into `data`.
        public var entries: [String: (dtype: String, shape: [Int], range: Range<Int>)]
        let data: Data
        let dataStart: Int
        /// Path or "<memory>", for error messages.
        public let fileName: String
        /// Whether the file carried a checksum (it matched, or parsing would have failed).
        public var hasChecksum = false

        /// The float32 tensor `name` with exactly `expectedShape`.
        /// - Throws: `missingTensor`, `dtypeMismatch` or `shapeMismatch` naming the tensor.
        public func floats(_ name: String, expectedShape: [Int]) throws -> [Float] {
            guard let e = entries[name] else { throw EngineError.missingTensor(file: fileName, name: name) }
            guard e.dtype == "F32" else {
                throw EngineError.dtypeMismatch(file: fileName, name: name, expected: "F32", found: e.dtype)
            }
            guard e.shape == expectedShape else {
                throw EngineError.shapeMismatch(file: fileName, name: name, expected: expectedShape, found: e.shape)
            }
            return floats(e.range)
        }

        /// The float32 tensor `name` in whatever shape it has.
        public func tensor(_ name: String) throws -> NamedTensor {
            guard let e = entries[name] else { throw EngineError.missingTensor(file: fileName, name: name) }
            guard e.dtype == "F32" else {
                throw EngineError.dtypeMismatch(file: fileName, name: name, expected: "F32", found: e.dtype)
            }
            return NamedTensor(name: name, shape: e.shape, values: floats(e.range))
        }

        private func floats(_ range: Range<Int>) -> [Float] {
            let count = range.count / 4
            var out = [Float](repeating: 0, count: count)
            out.withUnsafeMutableBytes { dst in
                data.withUnsafeBytes { src in
                    dst.copyMemory(
                        from: UnsafeRawBufferPointer(
                            rebasing: src[(dataStart + range.lowerBound)..<(dataStart + range.upperBound)]))
                }
            }
            return out
        }
    }

    /// Reads and validates a file's header.
    /// - Throws: `EngineError.io` when unreadable, `malformedFile` for a bad header.
    public static func read(path: String) throws -> File {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw EngineError.io(file: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, fileName: path)
    }

    /// Parses an in-memory safetensors image.
    public static func parse(_ data: Data, fileName: String = "<memory>") throws -> File {
        func bad(_ r: String) -> EngineError { .malformedFile(file: fileName, reason: r) }
        guard data.count >= 8 else { throw bad("file has \(data.count) bytes, fewer than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i)) }
        guard n > 0, n <= UInt64(maxHeaderBytes), Int(n) <= data.count - 8 else {
            throw bad("header length \(n) does not fit in a \(data.count)-byte file")
        }
        let headerBytes = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + Int(n)))
        guard let object = try? JSONSerialization.jsonObject(with: headerBytes), let header = object as? [String: Any] else {
            throw bad("header is not a JSON object")
        }
        let hasChecksum = try verifyChecksum(data, headerBytes: headerBytes, fileName: fileName)
        let dataStart = 8 + Int(n)
        let dataBytes = data.count - dataStart
        var metadata = [String: String]()
        var entries = [String: (dtype: String, shape: [Int], range: Range<Int>)]()
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw bad("__metadata__ value '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let e = value as? [String: Any], let dtype = e["dtype"] as? String,
                let shapeAny = e["shape"] as? [Any], let offAny = e["data_offsets"] as? [Any], offAny.count == 2
            else { throw bad("tensor '\(name)' lacks dtype, shape or data_offsets") }
            let shape = try shapeAny.map { v -> Int in
                guard let i = (v as? NSNumber)?.intValue, i >= 0 else { throw bad("tensor '\(name)' has a bad shape") }
                return i
            }
            let offs = try offAny.map { v -> Int in
                guard let i = (v as? NSNumber)?.intValue, i >= 0 else { throw bad("tensor '\(name)' has bad data_offsets") }
                return i
            }
            guard offs[0] <= offs[1], offs[1] <= dataBytes else {
                throw bad("tensor '\(name)' data_offsets \(offs) exceed the \(dataBytes) data bytes")
            }
            let elementBytes: Int
            switch dtype {
            case "F64", "I64", "U64": elementBytes = 8
            case "F32", "I32", "U32": elementBytes = 4
            case "F16", "BF16", "I16", "U16": elementBytes = 2
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2": elementBytes = 1
            default: throw bad("tensor '\(name)' has unknown dtype \(dtype)")
            }
            var elements = 1
            for d in shape {
                let (p, o) = elements.multipliedReportingOverflow(by: d)
                guard !o else { throw bad("tensor '\(name)' shape \(shape) overflows") }
                elements = p
            }
            guard elements.multipliedReportingOverflow(by: elementBytes).partialValue == offs[1] - offs[0] else {
                throw bad("tensor '\(name)' has shape \(shape) of \(dtype) but \(offs[1] - offs[0]) data bytes")
            }
            entries[name] = (dtype, shape, offs[0]..<offs[1])
        }
        if hasChecksum && metadata[checksumKey] == nil { throw bad("the checksum is outside __metadata__") }
        var file = File(metadata: metadata, entries: entries, data: data, dataStart: dataStart, fileName: fileName)
        file.hasChecksum = hasChecksum
        return file
    }

    /// Checks the checksum when the header holds one.
    /// - Returns: whether there was one.
    /// - Throws: `EngineError.checksumMismatch` naming the file.
    static func verifyChecksum(_ data: Data, headerBytes: Data, fileName: String) throws -> Bool {
        let header = [UInt8](headerBytes)
        guard let markerStart = firstIndex(of: checksumMarker, in: header) else { return false }
        let digitsStart = markerStart + checksumMarker.count
        guard digitsStart + 8 <= header.count,
            let stored = UInt32(String(decoding: header[digitsStart..<(digitsStart + 8)], as: UTF8.self), radix: 16)
        else {
            throw EngineError.malformedFile(file: fileName, reason: "the checksum is not 8 hex digits: the file is damaged")
        }
        let computed = checksum(data, digitsAt: 8 + digitsStart)
        guard computed == stored else {
            throw EngineError.checksumMismatch(file: fileName, stored: stored, computed: computed)
        }
        return true
    }

    /// The file's CRC-32 with the 8 bytes at `offset` read as ASCII `0`s.
    static func checksum(_ data: Data, digitsAt offset: Int) -> UInt32 {
        data.withUnsafeBytes { raw in
            var crc = FileChecksum.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<offset]))
            Array(repeating: UInt8(ascii: "0"), count: 8).withUnsafeBytes { crc = FileChecksum.crc32($0, continuing: crc) }
            return FileChecksum.crc32(UnsafeRawBufferPointer(rebasing: raw[(offset + 8)...]), continuing: crc)
        }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// Serializes tensors (in the given order) and string metadata to a safetensors image, with
    /// its checksum unless `checksum` is false (tests of older files).
    public static func serialize(_ tensors: [NamedTensor], metadata: [String: String], checksum: Bool = true) -> Data {
        var metadata = metadata
        if checksum { metadata[checksumKey] = "crc32:00000000" } else { metadata[checksumKey] = nil }
        var header = "{"
        header += "\"__metadata__\":{"
        header += metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }.joined(separator: ",")
        header += "}"
        var offset = 0
        for t in tensors {
            let bytes = t.values.count * 4
            header +=
                ",\(jsonString(t.name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        header += "}"
        var headerData = Data(header.utf8)
        while headerData.count % 8 != 0 { headerData.append(0x20) }
        var out = Data(capacity: 8 + headerData.count + offset)
        var n = UInt64(headerData.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(headerData)
        for t in tensors { t.values.withUnsafeBytes { out.append(contentsOf: $0) } }
        guard checksum, let marker = firstIndex(of: checksumMarker, in: [UInt8](headerData)) else { return out }
        let digits = 8 + marker + checksumMarker.count
        let crc = Safetensors.checksum(out, digitsAt: digits)
        out.replaceSubrange(digits..<(digits + 8), with: Array(hex8(crc).utf8))
        return out
    }

    /// Writes atomically (temporary file in the same directory, then rename).
    public static func write(_ tensors: [NamedTensor], metadata: [String: String], to path: String) throws {
        try writeAtomically(serialize(tensors, metadata: metadata), to: path)
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// Writes `data` to a temporary sibling file, flushes it, then renames it over `path`; on any
/// failure the temporary file is removed and `path` is left as it was.
/// - Throws: `EngineError.io` with the system's reason (errno text) and what to do.
func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
    let descriptor = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        throw EngineError.io(
            file: path,
            reason: "cannot write: \(String(cString: strerror(errno))); check that the directory exists and is writable")
    }
    var failure: Int32? = nil
    data.withUnsafeBytes { raw in
        guard var next = raw.baseAddress else { return }
        var left = raw.count
        while left > 0 {
            let written = write(descriptor, next, left)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 {
                failure = written < 0 ? errno : EIO
                return
            }
            next += written
            left -= written
        }
    }
    if failure == nil, fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0, failure == nil { failure = errno }
    // POSIX rename replaces the target atomically; FileManager.replaceItemAt fails on Linux when
    // the target exists (swift-corelibs-foundation).
    if failure == nil, rename(tmp, url.path) != 0 { failure = errno }
    if let failure {
        unlink(tmp)
        let remedy =
            failure == ENOSPC
            ? "free disk space; the previous file, if any, is unchanged" : "the previous file, if any, is unchanged"
        throw EngineError.io(file: path, reason: "cannot write: \(String(cString: strerror(failure))); \(remedy)")
    }
}
