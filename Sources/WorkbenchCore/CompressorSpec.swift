/// A compressor id with options, as written on the command line: `zstd`, `zstd:level=19`,
/// `brotli:quality=11,window=24`. Specs travel typed between the parts of the workbench; they are
/// text only on the command line, between processes and in files, where they are coded as their
/// canonical string.
public struct CompressorSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The registry id.
    public var id: String
    /// Option values as written (validated later by the registry against the plugin's options).
    public var options: [String: String]

    /// Creates a spec.
    public init(id: String, options: [String: String] = [:]) {
        self.id = id
        self.options = options
    }

    /// Parses `id[:key=value[,key=value...]]`.
    /// - Throws: `WorkbenchError` naming the malformed part.
    public init(parsing text: String) throws(WorkbenchError) {
        let trimmed = text.trimmingWhitespace()
        let idPart: Substring
        let optionPart: Substring?
        if let colon = trimmed.firstIndex(of: ":") {
            idPart = trimmed[..<colon]
            optionPart = trimmed[trimmed.index(after: colon)...]
        } else {
            idPart = trimmed[...]
            optionPart = nil
        }
        guard !idPart.isEmpty, idPart.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw WorkbenchError(
                "compressor spec '\(text)': expected an id such as 'zstd' or 'zstd:level=19'")
        }
        var options: [String: String] = [:]
        if let optionPart {
            guard !optionPart.isEmpty else {
                throw WorkbenchError("compressor spec '\(text)': nothing after ':'; write key=value pairs such as 'level=19'")
            }
            for pair in optionPart.split(separator: ",", omittingEmptySubsequences: false) {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    throw WorkbenchError("compressor spec '\(text)': '\(pair)' is not key=value")
                }
                let key = String(pair[..<equals])
                let value = String(pair[pair.index(after: equals)...])
                guard options[key] == nil else {
                    throw WorkbenchError("compressor spec '\(text)': option '\(key)' is given twice")
                }
                options[key] = value
            }
        }
        self.init(id: String(idPart), options: options)
    }

    /// Decodes the canonical (or any parseable) text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the canonical text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The canonical text: options sorted by key, so equal specs print equally.
    public var description: String {
        guard !options.isEmpty else { return id }
        let pairs = options.keys.sorted().map { "\($0)=\(options[$0] ?? "")" }
        return id + ":" + pairs.joined(separator: ",")
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
