import Foundation
import Testing

/// Compares text with a golden file in the `Golden` folder beside the calling test;
/// `WORKBENCH_RECORD_GOLDEN=1` re-records it (on purpose only: review the diff before committing).
public enum GoldenFile {
    /// Checks `actual` against `Golden/<name>` next to the test file that calls it.
    public static func check(_ actual: String, named name: String, filePath: String = #filePath) throws {
        let path = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)").path
        if ProcessInfo.processInfo.environment["WORKBENCH_RECORD_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            actual == expected, "golden file \(name) differs; re-record with WORKBENCH_RECORD_GOLDEN=1 if the change is intended")
    }
}
