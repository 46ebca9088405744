import Foundation
import Testing

/// `workbench` chooses its OpenBLAS core before anything else (re-executing itself when the core
/// must change), says so with `--verbose`, and never overrides a caller's OPENBLAS_CORETYPE.
@Suite struct BLASCoreSelectionTests {
    /// No variable set: the process runs on some core and says who chose it.
    static let unset: [String: String?] = [
        "OPENBLAS_CORETYPE": nil, "WORKBENCH_BLAS_CORE": nil, "WORKBENCH_BLAS_RELAUNCHED": nil,
    ]

    @Test func verboseNamesTheCore() throws {
        let outcome = try WorkbenchProcess.run(["--verbose", "bench", "blas", "--print-core"], environment: Self.unset)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let core = outcome.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!core.isEmpty)
        #expect(outcome.standardError.contains("OpenBLAS core \(core) ("), "\(outcome.standardError)")
        let quiet = try WorkbenchProcess.run(["bench", "blas", "--print-core"], environment: Self.unset)
        #expect(quiet.text == outcome.text)
        #expect(!quiet.standardError.contains("OpenBLAS core"))
    }

    @Test func theCallersCoreTypeStands() throws {
        let outcome = try WorkbenchProcess.run(
            ["--verbose", "bench", "blas", "--print-core"],
            environment: ["OPENBLAS_CORETYPE": "Core2", "WORKBENCH_BLAS_CORE": "Haswell"])
        #expect(outcome.text == "Core2\n", "\(outcome.standardError)")
        #expect(outcome.standardError.contains("OPENBLAS_CORETYPE set by the caller"))
    }

    /// Core2 runs on every x86-64 processor, and no OpenBLAS picks it for a current one: asking
    /// for it takes a re-execution.
    @Test func aRequestedCoreTakesANewProcess() throws {
        var environment = Self.unset
        environment["WORKBENCH_BLAS_CORE"] = "Core2"
        let outcome = try WorkbenchProcess.run(["--verbose", "bench", "blas", "--print-core"], environment: environment)
        #expect(outcome.text == "Core2\n", "\(outcome.standardError)")
        #expect(outcome.standardError.contains("WORKBENCH_BLAS_CORE; OpenBLAS had chosen"))
    }

    /// A name OpenBLAS refuses: one re-execution, a warning, and the command still runs.
    @Test func anUnknownCoreWarnsOnceAndRuns() throws {
        var environment = Self.unset
        environment["WORKBENCH_BLAS_CORE"] = "NoSuchCore"
        let outcome = try WorkbenchProcess.run(["bench", "blas", "--print-core"], environment: environment)
        #expect(outcome.status == 0)
        #expect(outcome.standardError.contains("did not take OPENBLAS_CORETYPE=NoSuchCore"), "\(outcome.standardError)")
    }

    /// `--verbose` is taken out before parsing wherever it stands.
    @Test func verboseIsGlobal() throws {
        let outcome = try WorkbenchProcess.run(["plugins", "--verbose"], environment: Self.unset)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("OpenBLAS core"))
    }
}
