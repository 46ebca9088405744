import Foundation
import NeuralEngine
import Testing
import WorkbenchCore

@testable import ACPlugin

/// The coder's output does not depend on which OpenBLAS kernels the process loaded: M1's
/// probabilities come from NeuralEngine's own deterministic kernels, never from OpenBLAS. The
/// same model (trained once, here) encodes the same documents in child processes forced onto
/// OpenBLAS's SSE fallback (Prescott) and onto the core the workbench chooses on this machine,
/// and every stream must equal this process's, byte for byte.
///
/// Why children: OpenBLAS fixes its core when it loads. The child is this test binary itself,
/// filtered to this suite, where only `childWritesItsStreams` runs.
@Suite struct BLASIndependenceTests {
    static let modelVariable = "AC_TESTS_CHILD_MODEL"
    static let outputVariable = "AC_TESTS_CHILD_OUTPUT"
    static let environment = ProcessInfo.processInfo.environment
    static let isChild = environment[modelVariable] != nil && environment[outputVariable] != nil
    static let canSpawn = FileManager.default.isExecutableFile(atPath: "/proc/self/exe")

    /// Plain AC and 16-bit equal-info windows, on a document of the corpus and on random bytes.
    static func streams(modelDirectory: String) throws -> [UInt8] {
        // Fixed text rather than the corpus: the child need not parse 8 MB of JSON Lines.
        let text = """
            def parse(lines, strict=False):
                \"\"\"Return the fields of every line that is not a comment.\"\"\"
                fields = []
                for number, line in enumerate(lines, 1):
                    if line.startswith("#") or not line.strip():
                        continue
                    key, _, value = line.partition("=")
                    if strict and not value:
                        raise ValueError(f"line {number}: no value for {key!r}")
                    fields.append((key.strip(), value.strip()))
                return fields
            """
        let inputs = [Array(text.utf8), randomBytes(200, seed: 5)]
        var out: [UInt8] = []
        for window in ["0", "16"] {
            let options = try ResolvedOptions(
                ["window": window, "model": modelDirectory], specs: ACPlugin.options, compressor: "ac")
            let compressor = try ACPlugin.makeCompressor(options, context: .withoutCorpus)
            for input in inputs {
                for symbol in try compressor.encode(input).symbols {
                    withUnsafeBytes(of: symbol.littleEndian) { out += $0 }
                }
            }
        }
        return out
    }

    @Test(.enabled(if: !isChild && canSpawn, "needs /proc/self/exe; the parent side only"))
    func streamsAreTheSameOnEachCore() throws {
        let (directory, _) = try #require(TinyModel.trained)
        let mine = try Self.streams(modelDirectory: directory)
        #expect(mine.count > 1000)
        let cores = ["Prescott"] + [BLASKernel.recommendedCore(loaded: "Prescott", features: .current)].compactMap { $0 }
        for core in cores {
            let output = NSTemporaryDirectory() + "ac-tests-\(getpid())-\(core).bin"
            defer { try? FileManager.default.removeItem(atPath: output) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = ["--testing-library", "swift-testing", "--filter", "BLASIndependenceTests"]
            var environment = Self.environment
            environment["OPENBLAS_CORETYPE"] = core
            environment["OPENBLAS_VERBOSE"] = "2"
            environment[Self.modelVariable] = directory
            environment[Self.outputVariable] = output
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "child on \(core) failed:\n\(log.suffix(3000))")
            #expect(log.contains("Core: \(core)"), "the child did not run on \(core)")
            let theirs = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
            #expect(theirs == mine, "streams encoded on \(core) differ from this process's (\(BLASKernel.loadedCore))")
        }
    }

    @Test(.enabled(if: isChild, "runs only in the child the test above starts"))
    func childWritesItsStreams() throws {
        let directory = try #require(Self.environment[Self.modelVariable])
        let output = try #require(Self.environment[Self.outputVariable])
        try Data(try Self.streams(modelDirectory: directory)).write(to: URL(fileURLWithPath: output))
    }
}
