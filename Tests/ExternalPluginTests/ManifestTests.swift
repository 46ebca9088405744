import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

/// Manifests and discovery: bad manifests are refused with the file and field named.
@Suite struct ManifestTests {
    /// Writes `text` as `<temp>/<folder>/plugin.json` and returns the temp root.
    func writeManifest(_ text: String, folder: String = "demo") throws -> String {
        let root = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        try text.write(toFile: "\(root)/\(folder)/plugin.json", atomically: true, encoding: .utf8)
        return root
    }

    static let badManifests: [(String, String)] = [
        ("not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (#"{"command": "python3"}"#, "field 'id' is missing"),
        (#"{"id": "Demo!", "command": "python3"}"#, "field 'id' 'Demo!' must be lowercase"),
        (#"{"id": "demo"}"#, "field 'command' is missing"),
        (#"{"id": "demo", "command": 3}"#, "field 'command' must be a string"),
        (#"{"id": "demo", "command": "./missing.sh"}"#, "field 'command' './missing.sh' is not an executable file"),
        (#"{"id": "demo", "command": "python3", "comand": "x"}"#, "field 'comand' is not a manifest field"),
        (#"{"id": "demo", "command": "python3", "format": "workbench.external-plugin/9"}"#, "field 'format'"),
        (#"{"id": "demo", "command": "python3", "timeout_seconds": 0}"#, "field 'timeout_seconds' must be a number"),
        (#"{"id": "demo", "command": "python3", "timeout_seconds": true}"#, "field 'timeout_seconds'"),
        (#"{"id": "demo", "command": "python3", "arguments": "plugin.py"}"#, "field 'arguments' must be a list of strings"),
        (#"{"id": "demo", "command": "python3", "options": [{"name": "x", "type": "float"}]}"#, "field 'options[0].type'"),
        (
            #"{"id": "demo", "command": "python3", "options": [{"name": "x", "type": "integer", "min": 5, "max": 1}]}"#,
            "field 'options[0]'"
        ),
        (
            #"{"id": "demo", "command": "python3", "options": [{"name": "x", "type": "integer", "min": 1, "max": 5, "default": 9}]}"#,
            "field 'options[0].default' '9' is not in the option's domain 1..5"
        ),
        (
            #"{"id": "demo", "command": "python3", "options": [{"name": "x", "type": "choice", "choices": []}]}"#,
            "field 'options[0].choices'"
        ),
        (
            #"{"id": "demo", "command": "python3", "options": [{"name": "x", "type": "text"}, {"name": "x", "type": "text"}]}"#,
            "field 'options[1].name' 'x' is declared twice"
        ),
        (#"{"id": "demo", "command": "python3", "conformance_options": [{"level": "3"}]}"#, "unknown option 'level'"),
    ]

    @Test func refusesBadManifestsNamingFileAndField() throws {
        for (text, fragment) in Self.badManifests {
            let root = try writeManifest(text)
            let error = #expect(throws: WorkbenchError.self, "\(text)") { _ = try ExternalPlugins.discover(in: [root]) }
            let message = error?.message ?? ""
            #expect(message.contains("\(root)/demo/plugin.json"), "no file in: \(message)")
            #expect(message.contains(fragment), "'\(fragment)' not in: \(message)")
        }
    }

    @Test func readsAGoodManifest() throws {
        let root = try writeManifest(
            #"""
            {"id": "demo", "command": "python3", "arguments": ["p.py", "--fast"], "timeout_seconds": 2.5,
             "options": [{"name": "level", "type": "integer", "min": 1, "max": 9, "default": 3, "help": "how hard"},
                         {"name": "mode", "type": "choice", "choices": ["a", "b"], "default": "a"},
                         {"name": "model", "type": "text", "default": null}],
             "conformance_options": [{"level": 9, "mode": "b"}]}
            """#)
        let manifest = try PluginManifest.load(path: "\(root)/demo/plugin.json")
        #expect(manifest.id == "demo" && manifest.displayName == "demo")
        #expect(manifest.arguments == ["p.py", "--fast"])
        #expect(manifest.timeoutSeconds == 2.5)
        #expect(manifest.options.map(\.name) == ["level", "mode", "model"])
        #expect(manifest.options.map(\.defaultValue) == ["3", "a", nil])
        #expect(manifest.conformanceOptions == [["level": "9", "mode": "b"]])
        #expect(manifest.directory == "\(root)/demo" && manifest.resolvedCommand == "python3")
    }

    @Test func discoversFoldersSinglePluginsAndRefusesClashes() throws {
        let root = try writeManifest(#"{"id": "one", "command": "python3"}"#, folder: "one")
        try FileManager.default.createDirectory(atPath: "\(root)/two", withIntermediateDirectories: true)
        try #"{"id": "two", "command": "python3"}"#.write(toFile: "\(root)/two/plugin.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(root)/not-a-plugin", withIntermediateDirectories: true)
        #expect(try ExternalPlugins.discover(in: [root]).map(\.id) == ["one", "two"])
        // A folder that is itself a plugin.
        #expect(try ExternalPlugins.discover(in: ["\(root)/two"]).map(\.id) == ["two"])
        // The same id twice.
        let clash = #expect(throws: WorkbenchError.self) { _ = try ExternalPlugins.discover(in: [root, "\(root)/two"]) }
        #expect(clash?.message.contains("declared twice") == true)
        // Missing folders: an error unless skipped.
        #expect(throws: WorkbenchError.self) { _ = try ExternalPlugins.discover(in: ["\(root)/nowhere"]) }
        #expect(try ExternalPlugins.discover(in: ["\(root)/nowhere"], skipMissing: true).isEmpty)
        // An external id that shadows a built-in is refused, not a trap.
        let builtins = CompressorRegistry([
            CompressorEntry(id: "one", displayName: "One", summary: "built in") { _, _ in throw WorkbenchError("unused") }
        ])
        let shadow = #expect(throws: WorkbenchError.self) {
            _ = try ExternalPlugins.registry(builtins, adding: ExternalPlugins.discover(in: [root]))
        }
        #expect(shadow?.message.contains("'one'") == true)
        let merged = try ExternalPlugins.registry(CompressorRegistry([]), adding: ExternalPlugins.discover(in: [root]))
        #expect(merged.ids == ["one", "two"])
    }

    @Test func defaultDirectoryIsPluginsExternal() {
        #expect(ExternalPlugins.defaultDirectory(repositoryRoot: "/repo") == "/repo/plugins/external")
    }
}
