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
        ("not json", "not valid JSON at line 1, column 1: expected a value"),
        (
            "{\"id\": \"demo\", \"command\": \"python3\",}",
            "not valid JSON at line 1, column 37: expected a quoted field name after ','"
        ),
        (
            "{\"id\": \"demo\",\n \"arguments\": [\"a\",],\n \"command\": \"python3\"}",
            "line 2, column 20: expected a value after ','"
        ),
        ("{\"id\": \"demo\", \"command\": \"python3\", \"id\": \"other\"}", "line 1, column 38: field \"id\" appears twice"),
        ("// a comment\n{\"id\": \"demo\", \"command\": \"python3\"}", "line 1, column 1: expected a value"),
        ("{\"id\": \"demo\", \"command\": \"python3\", \"timeout_seconds\": 01}", "a number may not start with 0"),
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
        #expect(clash?.message.contains("is also declared by") == true)
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
        #expect(
            shadow?.message.contains("has the id of the compressor 'one' (One: built in)") == true,
            "\(String(describing: shadow))")
        let merged = try ExternalPlugins.registry(CompressorRegistry([]), adding: ExternalPlugins.discover(in: [root]))
        #expect(merged.ids == ["one", "two"])
    }

    @Test func strictJSONAcceptsWhatRFC8259Allows() throws {
        let root = try writeManifest(
            "\u{FEFF}{\"id\": \"demo\", \"command\": \"python3\", \"description\": \"a \\\"quoted\\\" \\u00e9 word\",\r\n"
                + " \"timeout_seconds\": -0.5e+1, \"options\": []}")
        let error = #expect(throws: WorkbenchError.self) { _ = try ExternalPlugins.discover(in: [root]) }
        // Valid JSON: the complaint is the negative timeout, not the syntax.
        #expect(error?.message.contains("field 'timeout_seconds'") == true, "\(String(describing: error))")
        let good = try writeManifest(#"{"id": "demo", "command": "python3", "description": "caf\u00e9 \ud83d\ude00"}"#)
        #expect(try ExternalPlugins.discover(in: [good]).map(\.id) == ["demo"])
    }

    @Test func oneBadManifestIsSkippedWithAWarningAndRemembered() throws {
        let root = try writeManifest(#"{"id": "good", "command": "python3"}"#, folder: "good")
        try FileManager.default.createDirectory(atPath: "\(root)/broken", withIntermediateDirectories: true)
        try #"{"id": "broken", "command": "python3",}"#.write(
            toFile: "\(root)/broken/plugin.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(root)/garbled", withIntermediateDirectories: true)
        try "garbage".write(toFile: "\(root)/garbled/plugin.json", atomically: true, encoding: .utf8)
        var warnings: [String] = []
        let registry = try ExternalPlugins.registry(CompressorRegistry([]), searching: [], given: [root]) { warnings.append($0) }
        #expect(registry.ids == ["good"])
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings.contains { $0.contains("\(root)/broken/plugin.json") && $0.contains("not valid JSON") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("\(root)/garbled/plugin.json") }, "\(warnings)")
        // Asking for a broken plugin fails with its reason (its id from the manifest, or the folder).
        for id in ["broken", "garbled"] {
            let error = #expect(throws: WorkbenchError.self) { _ = try registry.makeCompressor(CompressorSpec(id: id)) }
            #expect(
                error?.message.contains("compressor '\(id)' cannot be used: \(root)/\(id)/plugin.json: not valid JSON") == true,
                "\(String(describing: error))")
        }
        // The all-or-nothing discovery still refuses the folder.
        #expect(throws: WorkbenchError.self) { _ = try ExternalPlugins.discover(in: [root]) }
        // The same id in two folders: both are unusable, each message names the other.
        let twin = try writeManifest(#"{"id": "good", "command": "sh"}"#, folder: "good")
        warnings = []
        let clashing = try ExternalPlugins.registry(CompressorRegistry([]), searching: [root], given: [twin]) {
            warnings.append($0)
        }
        #expect(!clashing.ids.contains("good"))
        let clash = #expect(throws: WorkbenchError.self) { _ = try clashing.entry(for: "good") }
        #expect(
            clash?.message.contains("\(root)/good/plugin.json") == true
                && clash?.message.contains("\(twin)/good/plugin.json") == true,
            "\(String(describing: clash))")
        // A folder the user named must exist.
        #expect(throws: WorkbenchError.self) {
            _ = try ExternalPlugins.registry(CompressorRegistry([]), searching: [], given: ["\(root)/nowhere"]) { _ in }
        }
    }

    @Test func defaultDirectoryIsPluginsExternal() {
        #expect(ExternalPlugins.defaultDirectory(repositoryRoot: "/repo") == "/repo/plugins/external")
    }
}
