/// Small edits to a document, for measuring how much a compressor's output moves when its input
/// barely does (the paper, "Proxy Compression for Language Modeling": stable symbols transfer, unstable ones do not).
///
/// Edits act on Unicode scalars when the document is valid UTF-8 (so a deletion never splits a
/// character) and on bytes otherwise. Every edit is driven by the caller's seeded generator.
public enum Perturbation: String, Sendable, CaseIterable, Codable {
    /// Delete 10% of the characters, chosen uniformly at random.
    case deleteTenPercent = "delete_10_percent"
    /// Insert one space at a random position.
    case insertSpace = "insert_space"
    /// Rename one occurrence of one identifier (ASCII `[A-Za-z_][A-Za-z0-9_]*`, at least 3
    /// characters) to a random identifier of the same length.
    case renameIdentifier = "rename_identifier"
    /// Re-indent a block: add 4 spaces before each of up to 8 consecutive lines.
    case reindentBlock = "reindent_block"

    /// A one-line description for reports.
    public var summary: String {
        switch self {
        case .deleteTenPercent: return "delete 10% of characters at random"
        case .insertSpace: return "insert one space at a random position"
        case .renameIdentifier: return "rename one identifier occurrence (same length)"
        case .reindentBlock: return "indent up to 8 consecutive lines by 4 more spaces"
        }
    }

    /// The perturbed copy of `document`.
    public func apply<G: RandomNumberGenerator>(to document: [UInt8], using generator: inout G) -> [UInt8] {
        var units = Units(document)
        switch self {
        case .deleteTenPercent:
            let count = units.values.count / 10
            var keep = [Bool](repeating: true, count: units.values.count)
            var indices = Array(units.values.indices)
            for step in 0..<count {
                let pick = Int.random(in: step..<indices.count, using: &generator)
                indices.swapAt(step, pick)
                keep[indices[step]] = false
            }
            units.values = units.values.indices.filter { keep[$0] }.map { units.values[$0] }
        case .insertSpace:
            units.values.insert(0x20, at: Int.random(in: 0...units.values.count, using: &generator))
        case .renameIdentifier:
            let identifiers = Perturbation.identifierRanges(units.values)
            guard !identifiers.isEmpty else { return document }
            let range = identifiers[Int.random(in: 0..<identifiers.count, using: &generator)]
            let letters = Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars.map(\.value))
            var replacement: [UInt32]
            repeat {
                replacement = range.map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] }
            } while replacement == Array(units.values[range])
            units.values.replaceSubrange(range, with: replacement)
        case .reindentBlock:
            var lineStarts = [0]
            for (index, value) in units.values.enumerated() where value == 0x0A && index + 1 < units.values.count {
                lineStarts.append(index + 1)
            }
            let first = Int.random(in: 0..<lineStarts.count, using: &generator)
            let last = min(lineStarts.count, first + 8)
            for start in lineStarts[first..<last].reversed() {
                units.values.insert(contentsOf: [0x20, 0x20, 0x20, 0x20], at: start)
            }
        }
        return units.bytes
    }

    /// Ranges of ASCII identifiers of at least 3 characters.
    static func identifierRanges(_ values: [UInt32]) -> [Range<Int>] {
        func isStart(_ v: UInt32) -> Bool { (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95 }
        func isPart(_ v: UInt32) -> Bool { isStart(v) || (v >= 48 && v <= 57) }
        var ranges: [Range<Int>] = []
        var index = 0
        while index < values.count {
            if isStart(values[index]) && (index == 0 || !isPart(values[index - 1])) {
                var end = index + 1
                while end < values.count && isPart(values[end]) { end += 1 }
                if end - index >= 3 { ranges.append(index..<end) }
                index = end
            } else {
                index += 1
            }
        }
        return ranges
    }

    /// A document as editable units: scalars for UTF-8 text, bytes otherwise.
    struct Units {
        var values: [UInt32]
        let isText: Bool

        init(_ document: [UInt8]) {
            if let text = String(validating: document, as: UTF8.self) {
                values = text.unicodeScalars.map(\.value)
                isText = true
            } else {
                values = document.map(UInt32.init)
                isText = false
            }
        }

        var bytes: [UInt8] {
            guard isText else { return values.map { UInt8(truncatingIfNeeded: $0) } }
            var out = String.UnicodeScalarView()
            for value in values { if let scalar = Unicode.Scalar(value) { out.append(scalar) } }
            return Array(String(out).utf8)
        }
    }
}
