import Foundation
import WorkbenchCore

/// One promise of the compressor contract, checked on any compressor.
///
/// A case returns what it found wrong instead of asserting, so that the test target (one Swift
/// Testing issue per finding) and `workbench plugins check` (a line per case) run the same
/// definitions.
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// A short name, stable for test output and the CLI ("decode bound").
    public var name: String
    /// The check: every string it returns is one failure. A thrown error is a failure too.
    public var check: @Sendable (ConformanceSubject) throws -> [String]

    /// Creates a case.
    public init(_ name: String, check: @escaping @Sendable (ConformanceSubject) throws -> [String]) {
        self.name = name
        self.check = check
    }

    public var description: String { name }

    /// Runs the case, turning a thrown error into a failure and timing it.
    public func run(on subject: ConformanceSubject) -> ConformanceOutcome {
        let start = Clock.now
        var failures: [String]
        do {
            failures = try check(subject)
        } catch {
            failures = ["threw: \(error)"]
        }
        return ConformanceOutcome(caseName: name, failures: failures, seconds: Clock.seconds(since: start))
    }
}

/// What one case found on one compressor.
public struct ConformanceOutcome: Sendable {
    /// The case's name.
    public var caseName: String
    /// What was wrong; empty when the case passed.
    public var failures: [String]
    /// How long the case took.
    public var seconds: Double

    /// True when nothing was wrong.
    public var passed: Bool { failures.isEmpty }
}
