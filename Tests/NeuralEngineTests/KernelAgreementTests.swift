import Foundation
import Testing

@testable import NeuralEngine

/// The engine's numerical tests again, in child processes on OpenBLAS's SSE fallback (Prescott)
/// and on the core the workbench chooses on this machine: the gradient checks, the PyTorch
/// fixtures (forward, every gradient, AdamW steps) and sgemm against the reference must pass on
/// each, with the tolerances those tests already use (a fraction of a second per core; the
/// 250-step training test stays in the main run only).
///
/// Why children: OpenBLAS fixes its core when the library loads, before any test can choose
/// one. The child is this test binary itself, filtered to those suites (never this one);
/// OpenBLAS's verbose banner proves which core it ran.
extension NeuralEngineTests {
    @Suite struct KernelAgreementTests {
        static let childVariable = "NEURALENGINE_TESTS_CORE_CHILD"

        /// Prescott, and the core `BLASKernel` would put in its place here (none on a machine
        /// without AVX2).
        static var cores: [String] {
            ["Prescott"] + [BLASKernel.recommendedCore(loaded: "Prescott", features: .current)].compactMap { $0 }
        }

        static let runsHere =
            ProcessInfo.processInfo.environment[childVariable] == nil
            && FileManager.default.isExecutableFile(atPath: "/proc/self/exe")

        @Test(.enabled(if: runsHere, "needs /proc/self/exe; never inside its own child"))
        func engineTestsPassOnEachCore() throws {
            for core in Self.cores {
                let (status, output) = try Self.runEngineTests(core: core)
                let summary = output.split(separator: "\n").last { $0.contains("Test run with") } ?? "no summary"
                #expect(status == 0, "engine tests on \(core): exit \(status); \(summary)\n\(output.suffix(4000))")
                #expect(output.contains("Core: \(core)"), "the child did not run on \(core)")
                for test in [
                    "wholeModel()", "everyGradientMatchesPyTorch()", "adamWStepsMatchPyTorch()", "sgemmMatchesReference(",
                ] {
                    #expect(output.contains("Test \(test)"), "\(test) did not run on \(core)")
                }
            }
        }

        /// Runs this binary's numerical engine suites (Swift Testing) with `OPENBLAS_CORETYPE=core`.
        static func runEngineTests(core: String) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = [
                "--testing-library", "swift-testing", "--filter", "GradientCheckTests|KernelTests|PyTorchFixtureTests",
                "--skip", "KernelAgreementTests",
            ]
            var environment = ProcessInfo.processInfo.environment
            environment["OPENBLAS_CORETYPE"] = core
            environment["OPENBLAS_VERBOSE"] = "2"
            environment[childVariable] = "1"
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }
}
