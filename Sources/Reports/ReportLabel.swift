import WorkbenchCore

/// How reports name compressors and speeds in tables and charts.
enum ReportLabel {
    /// A spec for tables and charts: option values that are long hex digests (ac's 64-digit
    /// `model_hash`) are cut to their first 12 digits, which still tell runs apart; the full spec
    /// stays in the Compressors section, results.json and results.csv.
    static func spec(_ spec: String) -> String {
        guard let colon = spec.firstIndex(of: ":") else { return spec }
        let options = spec[spec.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false).map {
            option -> String in
            guard let equals = option.firstIndex(of: "=") else { return String(option) }
            let value = option[option.index(after: equals)...]
            guard value.count >= 32, value.allSatisfy(\.isHexDigit) else { return String(option) }
            return String(option[...equals]) + String(value.prefix(12)) + "…"
        }
        return String(spec[...colon]) + options.joined(separator: ",")
    }

    /// A speed in MB/s with three significant digits, so a neural coder's 0.120 MB/s reads as
    /// clearly as a codec's 835.
    static func speed(_ megabytesPerSecond: Double?) -> String {
        guard let value = megabytesPerSecond, value.isFinite else { return "–" }
        switch value {
        case 100...: return String(format: "%.0f", value)
        case 10..<100: return String(format: "%.1f", value)
        case 1..<10: return String(format: "%.2f", value)
        default: return String(format: "%.3f", value)
        }
    }
}
