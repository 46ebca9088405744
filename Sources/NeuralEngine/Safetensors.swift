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
public enum Safetensors {
    /// Largest header accepted (a guard against absurd lengths in corrupt files).
    static let maxHeaderBytes = 100 << 20

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
        return File(metadata: metadata, entries: entries, data: data, dataStart: dataStart, fileName: fileName)
    }

    /// Serializes tensors (in the given order) and string metadata to a safetensors image.
    public static func serialize(_ tensors: [NamedTensor], metadata: [String: String]) -> Data {
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

/// Writes `data` to a temporary sibling file, then renames it over `path`.
func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    do {
        try data.write(to: tmp)
        // POSIX rename replaces the target atomically; FileManager.replaceItemAt fails on Linux
        // when the target exists (swift-corelibs-foundation).
        guard rename(tmp.path, url.path) == 0 else {
            throw EngineError.io(file: path, reason: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw EngineError.io(file: path, reason: "cannot write: \(error.localizedDescription)")
    }
}
