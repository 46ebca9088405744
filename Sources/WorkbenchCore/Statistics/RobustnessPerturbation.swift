/// The edits a trained model's robustness is measured under: the four edits of the stability
/// statistic (`Perturbation`), plus two formatting changes that matter for code.
public enum RobustnessPerturbation: Sendable, Hashable, Codable, CaseIterable, RawRepresentable {
    /// One of the stability statistic's edits.
    case edit(Perturbation)
    /// Every line ending becomes CRLF.
    case crlfLineEndings
    /// Leading indentation: every group of 4 spaces at the start of a line becomes a tab.
    case tabIndentation

    public static var allCases: [RobustnessPerturbation] {
        Perturbation.allCases.map { .edit($0) } + [.crlfLineEndings, .tabIndentation]
    }

    public init?(rawValue: String) {
        if let edit = Perturbation(rawValue: rawValue) {
            self = .edit(edit)
            return
        }
        switch rawValue {
        case "crlf_line_endings": self = .crlfLineEndings
        case "tab_indentation": self = .tabIndentation
        default: return nil
        }
    }

    public var rawValue: String {
        switch self {
        case .edit(let edit): return edit.rawValue
        case .crlfLineEndings: return "crlf_line_endings"
        case .tabIndentation: return "tab_indentation"
        }
    }

    /// A one-line description for reports.
    public var summary: String {
        switch self {
        case .edit(let edit): return edit.summary
        case .crlfLineEndings: return "CRLF line endings instead of LF"
        case .tabIndentation: return "a tab for each 4 spaces of leading indentation"
        }
    }

    /// The perturbed copy of `document`.
    public func apply<G: RandomNumberGenerator>(to document: [UInt8], using generator: inout G) -> [UInt8] {
        switch self {
        case .edit(let edit): return edit.apply(to: document, using: &generator)
        case .crlfLineEndings:
            var out: [UInt8] = []
            out.reserveCapacity(document.count + document.count / 32)
            for (index, byte) in document.enumerated() {
                if byte == 0x0A && (index == 0 || document[index - 1] != 0x0D) { out.append(0x0D) }
                out.append(byte)
            }
            return out
        case .tabIndentation:
            var out: [UInt8] = []
            out.reserveCapacity(document.count)
            var atLineStart = true
            var index = 0
            while index < document.count {
                if atLineStart && index + 4 <= document.count && document[index..<index + 4].allSatisfy({ $0 == 0x20 }) {
                    out.append(0x09)
                    index += 4
                    continue
                }
                let byte = document[index]
                atLineStart = byte == 0x0A || (atLineStart && byte == 0x09)
                out.append(byte)
                index += 1
            }
            return out
        }
    }

    /// The perturbed copies of `documents`, each perturbation with its own generator seeded from
    /// `seed` and its name (the same copies for every model of a comparison).
    public static func perturbed(_ documents: [[UInt8]], seed: UInt64) -> [RobustnessPerturbation: [[UInt8]]] {
        var result: [RobustnessPerturbation: [[UInt8]]] = [:]
        for perturbation in allCases {
            var generator = SplitMix64(seed: seed ^ SplitMix64.seed(from: "robust:" + perturbation.rawValue))
            result[perturbation] = documents.map { perturbation.apply(to: $0, using: &generator) }
        }
        return result
    }
}
