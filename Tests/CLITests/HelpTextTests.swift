import Testing
import WorkbenchTestSupport

/// `--help` is part of the interface: a change to it should be a decision, seen in a diff.
@Suite struct HelpTextTests {
    @Test(arguments: ["compare", "compress", "decompress", "encode", "export", "merge", "train-compressor", "plugins", "report"])
    func matchesTheGoldenHelp(_ command: String) throws {
        let outcome = try WorkbenchProcess.run(["help", command])
        #expect(outcome.status == 0)
        try GoldenFile.check(outcome.text, named: "\(command)-help.txt")
    }
}
