import Foundation
import Testing

@testable import Pipelines

/// What `environment.json` says about the build.
struct RunEnvironmentTests {
    /// The commit is looked up in the checkout the binary was built in (here the test binary's,
    /// under this package's `.build`), not in whatever directory the run started from.
    @Test func theSourceTreeIsTheCheckoutTheBinaryWasBuiltIn() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().resolvingSymlinksInPath().path
        let tree = try #require(RunEnvironment.sourceTree)
        #expect(URL(fileURLWithPath: tree).resolvingSymlinksInPath().path == packageRoot)
        #expect(FileManager.default.fileExists(atPath: tree + "/Package.swift"))
    }
}
