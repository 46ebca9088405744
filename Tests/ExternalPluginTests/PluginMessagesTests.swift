import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

/// What a user reads when a plugin refuses a request, fails a document, refuses its options or
/// clashes with another compressor: the manifest, the document, the stderr tail, the other party.
@Suite(.timeLimit(.minutes(1)))
struct PluginMessagesTests {
    static let manifestPath = TestSupport.misbehavingDirectory + "/(test manifest)"

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func anErrorFrameNamesManifestDocumentsAndStderr() throws {
        let (compressor, pidFile) = try TestSupport.misbehaving("error-frame")
        let results = compressor.encode(batch: [Array("good".utf8), Array("bad one".utf8)])
        for result in results {
            guard case .failure(let error) = result else {
                Issue.record("a refused request fails each of its documents")
                continue
            }
            #expect(error.kind == .libraryFailure)
            for fragment in [
                Self.manifestPath, "during encode of documents 0..<2 of 2 in this batch",
                "it refused the request (library_failure)",
                "out of GPU memory", "its stderr ends with", "misbehaving: refusing a batch of 2",
            ] {
                #expect(error.message.contains(fragment), "lacks '\(fragment)': \(error.message)")
            }
        }
        // The plugin answered in step: the same process serves the next request.
        #expect(try compressor.encode(Array("good".utf8)).symbolCount == 4)
        #expect(TestSupport.recordedPIDs(pidFile).count == 1)
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func anErrorWithANullIDAnswersTheRequestInFlight() throws {
        let (compressor, pidFile) = try TestSupport.misbehaving("null-id-error")
        let error = #expect(throws: CodecError.self) { try compressor.encode(Array("bad".utf8)) }
        #expect(error?.kind == .libraryFailure, "\(String(describing: error))")
        #expect(
            error?.message.contains("during encode of the document: it refused the request") == true,
            "\(String(describing: error))")
        #expect(try compressor.encode(Array("fine".utf8)).symbolCount == 4)
        #expect(TestSupport.recordedPIDs(pidFile).count == 1)
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func anErrorItemNamesManifestDocumentAndStderr() throws {
        let (compressor, _) = try TestSupport.misbehaving("error-item")
        let results = compressor.encode(batch: [Array("good".utf8), Array("bad one".utf8)])
        #expect((try? results[0].get())?.symbolCount == 4)
        guard case .failure(let error) = results[1] else {
            Issue.record("the bad document must fail")
            return
        }
        #expect(error.kind == .corruptInput)
        for fragment in [
            Self.manifestPath, "during encode of document 1 of 2 in this batch (7 bytes)",
            "cannot tokenize byte 0 of a bad document",
            "its stderr ends with", "misbehaving: document 1 is bad",
        ] {
            #expect(error.message.contains(fragment), "lacks '\(fragment)': \(error.message)")
        }
        let single = #expect(throws: CodecError.self) { try compressor.encode(Array("bad".utf8)) }
        #expect(single?.message.contains("during encode of the document (3 bytes)") == true, "\(String(describing: single))")
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func refusedOptionsAreAUsageError() throws {
        let error = #expect(throws: WorkbenchError.self) {
            _ = try TestSupport.misbehaving("refuse-options", options: ["tag": "x"])
        }
        #expect(error?.isUsageError == true)
        #expect(
            error?.message.contains("the options [tag=x] were refused by external plugin 'misbehaving'") == true,
            "\(String(describing: error))")
        #expect(error?.message.contains("tag 'x' names no model") == true)
        #expect(error?.message.contains(Self.manifestPath) == true)
    }

    @Test(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    func theLibraryInReadyIsReported() throws {
        let (compressor, pidFile) = try TestSupport.misbehaving("library")
        #expect(compressor.descriptor.libraryName == "libmisbehave" && compressor.descriptor.libraryVersion == "9.9.9")
        #expect(compressor.handshake.name == "misbehaving" && compressor.handshake.version == "0")
        // `workbench plugins` asks the registry row, which starts the plugin for its `ready`.
        let library = ExternalPlugins.entry(for: compressor.manifest).library()
        #expect(library?.name == "libmisbehave" && library?.version == "9.9.9")
        let plain = try TestSupport.misbehaving("fine", pidFile: pidFile + ".plain").compressor
        #expect(ExternalPlugins.entry(for: plain.manifest).library().map { "\($0.name) \($0.version)" } == "misbehaving 0")
    }

    @Test func aDuplicateIDNamesBothCompressors() throws {
        let root = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(root)/zstd", withIntermediateDirectories: true)
        try #"{"id": "zstd", "command": "python3"}"#.write(toFile: "\(root)/zstd/plugin.json", atomically: true, encoding: .utf8)
        let builtins = CompressorRegistry([
            CompressorEntry(id: "zstd", displayName: "Zstandard", summary: "Zstandard frames (libzstd)") { _, _ in
                throw WorkbenchError("unused")
            }
        ])
        let error = #expect(throws: WorkbenchError.self) {
            _ = try ExternalPlugins.registry(builtins, adding: ExternalPlugins.discover(in: [root]))
        }
        let message = error?.message ?? ""
        #expect(message.contains("\(root)/zstd/plugin.json"), "\(message)")
        #expect(message.contains("has the id of the compressor 'zstd' (Zstandard: Zstandard frames (libzstd))"), "\(message)")
        // Through the registry every command builds: skipped with that warning, the built-in kept.
        var warnings: [String] = []
        let registry = try ExternalPlugins.registry(builtins, searching: [root], given: []) { warnings.append($0) }
        #expect(registry.ids == ["zstd"])
        #expect(try registry.entry(for: "zstd").displayName == "Zstandard")
        #expect(
            warnings.count == 1 && warnings[0].contains("\(root)/zstd/plugin.json") && warnings[0].contains("Zstandard"),
            "\(warnings)")
    }
}
