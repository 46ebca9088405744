import Foundation

/// UTC timestamps as results record them.
public enum Timestamp {
    /// ISO 8601 in UTC, e.g. `2026-11-29T16:06:10Z`.
    public static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// A file-name-safe UTC time, e.g. `20261129-160610` (default run directories).
    public static func compact(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
