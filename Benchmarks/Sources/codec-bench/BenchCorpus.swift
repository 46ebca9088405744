import Foundation

/// The documents a benchmark runs over: a JSONL corpus (`text` per line) or a directory of files.
struct BenchCorpus {
    var name: String
    var documents: [[UInt8]]
    var totalBytes: Int { documents.reduce(0) { $0 + $1.count } }

    /// Reads up to `maxBytes` of documents (whole documents only, in file order).
    static func load(path: String, textField: String, maxBytes: Int) throws -> BenchCorpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BenchError("corpus '\(path)' does not exist; pass --corpus FILE.jsonl or a directory")
        }
        var documents: [[UInt8]] = []
        var total = 0
        func add(_ document: [UInt8]) -> Bool {
            guard total + document.count <= maxBytes || documents.isEmpty else { return false }
            documents.append(document)
            total += document.count
            return true
        }
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            for name in names {
                let file = (path as NSString).appendingPathComponent(name)
                var isSubdirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isSubdirectory), !isSubdirectory.boolValue,
                    let data = FileManager.default.contents(atPath: file)
                else { continue }
                if !add([UInt8](data)) { break }
            }
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BenchError("cannot read corpus '\(path)'")
            }
            var lineNumber = 0
            for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                lineNumber += 1
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let text = object[textField] as? String
                else {
                    throw BenchError("\(path):\(lineNumber): not a JSON object with a string field '\(textField)'")
                }
                if !add(Array(text.utf8)) { break }
            }
        }
        guard !documents.isEmpty else { throw BenchError("corpus '\(path)' holds no documents") }
        return BenchCorpus(name: (path as NSString).lastPathComponent, documents: documents)
    }
}

/// A benchmark set-up failure, printed to stderr.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
