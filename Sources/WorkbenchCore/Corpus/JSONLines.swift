import Foundation

/// Reads JSON Lines corpora: one JSON object per line with the document in a string field.
enum JSONLines {
    /// Parses every non-blank line of `data`.
    /// - Throws: `WorkbenchError` naming `file:line` for the first bad line, unless skipping.
    static func documents(
        in data: Data, file: String, textField: String, skipBadLines: Bool
    ) throws(WorkbenchError) -> (documents: [CorpusDocument], skipped: [String]) {
        var documents: [CorpusDocument] = []
        var skipped: [String] = []
        var lineNumber = 0
        var lineStart = data.startIndex
        while lineStart < data.endIndex {
            let lineEnd = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            lineNumber += 1
            let line = data[lineStart..<lineEnd]
            lineStart = lineEnd < data.endIndex ? data.index(after: lineEnd) : data.endIndex
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }) { continue }
            switch parse(line, textField: textField) {
            case .success(let text):
                documents.append(CorpusDocument(bytes: Array(text.utf8), source: "\(file):\(lineNumber)"))
            case .failure(let reason):
                let located = "\(file):\(lineNumber): \(reason.message)"
                guard skipBadLines else {
                    throw WorkbenchError(located + "; fix the line, choose the field with --text-field, or pass --skip-bad-lines")
                }
                skipped.append(located)
            }
        }
        return (documents, skipped)
    }

    static func parse(_ line: Data, textField: String) -> Result<String, WorkbenchError> {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: line, options: [])
        } catch {
            return .failure(WorkbenchError("not valid JSON"))
        }
        guard let record = object as? [String: Any] else {
            return .failure(WorkbenchError("not a JSON object"))
        }
        guard let value = record[textField] else {
            return .failure(WorkbenchError("no field '\(textField)'"))
        }
        guard let text = value as? String else {
            return .failure(WorkbenchError("field '\(textField)' is not a string"))
        }
        return .success(text)
    }
}
