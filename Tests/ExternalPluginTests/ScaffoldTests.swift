import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

/// `workbench plugins new`: both skeletons are written, and the external one works as is.
@Suite struct ScaffoldTests {
    @Test func externalSkeletonIsWritten() throws {
        let root = try TestSupport.temporaryDirectory()
        let result = try PluginScaffold.scaffold(name: "my-codec", kind: .external, into: root)
        #expect(result.createdFiles.map { ($0 as NSString).lastPathComponent } == ["plugin.json", "plugin.py", "README.md"])
        #expect(FileManager.default.isExecutableFile(atPath: "\(root)/my-codec/plugin.py"))
        let entries = try ExternalPlugins.discover(in: [root])
        #expect(entries.map(\.id) == ["my-codec"])
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func externalSkeletonRoundTrips() throws {
        let root = try TestSupport.temporaryDirectory()
        _ = try PluginScaffold.scaffold(name: "my-codec", kind: .external, into: root)
        let entries = try ExternalPlugins.discover(in: [root])
        let compressor = try CompressorRegistry(entries).makeCompressor(CompressorSpec(parsing: "my-codec:level=7"))
        for input in [[], (0...255).map { UInt8($0) }, Array("print('hi')\n".utf8)] {
            #expect(try compressor.decode(compressor.encode(input), maxOutputBytes: input.count) == input)
        }
        let bound = #expect(throws: CodecError.self) { try compressor.decode(compressor.encode([1, 2, 3]), maxOutputBytes: 2) }
        #expect(bound?.kind == .outputLimitExceeded)
    }

    @Test func swiftSkeletonAndInstructions() throws {
        let root = try TestSupport.temporaryDirectory()
        let result = try PluginScaffold.scaffold(name: "lz4", kind: .swift, into: root)
        #expect(
            result.createdFiles == [
                "\(root)/lz4/Sources/Lz4Compressor.swift", "\(root)/lz4/Sources/Lz4Plugin.swift", "\(root)/lz4/README.md",
            ])
        let source = try String(contentsOfFile: "\(root)/lz4/Sources/Lz4Compressor.swift", encoding: .utf8)
        #expect(source.contains("public struct Lz4Compressor: Compressor"))
        #expect(source.contains(#"id: "lz4""#))
        #expect(
            result.nextSteps.contains(
                #".target(name: "Lz4Plugin", dependencies: ["WorkbenchCore"], path: "plugins/lz4/Sources"),"#))
        #expect(result.nextSteps.contains("Lz4Plugin.entry,"))
    }

    @Test func refusesBadNamesAndExistingFolders() throws {
        let root = try TestSupport.temporaryDirectory()
        #expect(throws: WorkbenchError.self) { _ = try PluginScaffold.scaffold(name: "My Codec", kind: .external, into: root) }
        #expect(throws: WorkbenchError.self) { _ = try PluginScaffold.scaffold(name: "9lives", kind: .swift, into: root) }
        _ = try PluginScaffold.scaffold(name: "twice", kind: .external, into: root)
        let again = #expect(throws: WorkbenchError.self) {
            _ = try PluginScaffold.scaffold(name: "twice", kind: .external, into: root)
        }
        #expect(again?.message.contains("already exists") == true)
    }
}
