import Testing
import WorkbenchCore

@Suite struct CompressorSpecTests {
    @Test func parsesIDsAndOptions() throws {
        #expect(try CompressorSpec(parsing: "zstd") == CompressorSpec(id: "zstd"))
        #expect(try CompressorSpec(parsing: "zstd:level=19") == CompressorSpec(id: "zstd", options: ["level": "19"]))
        let brotli = try CompressorSpec(parsing: "brotli:window=24,quality=11")
        #expect(brotli.options == ["quality": "11", "window": "24"])
        #expect(brotli.description == "brotli:quality=11,window=24")
    }

    @Test(arguments: ["", ":", "zstd:", "zstd:level", "zstd:=3", "zstd:level=1,level=2", "zs td", "a/b"])
    func rejectsMalformedSpecs(_ text: String) {
        #expect(throws: WorkbenchError.self) { try CompressorSpec(parsing: text) }
    }

    @Test func idListRejectsOptions() throws {
        #expect(try CompressorRegistry.parseIDList("ac,bpe,zstd").map(\.id) == ["ac", "bpe", "zstd"])
        let error = #expect(throws: WorkbenchError.self) { try CompressorRegistry.parseIDList("bytes,zstd:level=3") }
        #expect(error?.message.contains("--compressor") == true)
    }
}

struct Identity: Compressor {
    var descriptor = CompressorDescriptor(id: "identity", displayName: "Identity", alphabetSize: 256)
    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument { EncodedDocument(bytes: document) }
    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        try encoded.bytes(compressor: "identity")
    }
}

@Suite struct RegistryTests {
    let registry = CompressorRegistry([
        CompressorEntry(
            id: "identity", displayName: "Identity", summary: "test",
            options: [
                OptionSpec("level", .integer(1...22), default: "19", help: "level"),
                OptionSpec("container", .choice(["gzip", "zlib"]), default: "gzip", help: "framing"),
                OptionSpec("dict", .integer(256...1_000_000), default: nil, help: "dictionary bytes"),
            ]
        ) { _, _ in Identity() },
        CompressorEntry(id: "other", displayName: "Other", summary: "test") { _, _ in Identity() },
    ])

    @Test func badOptionValuesAreUsageErrors() {
        for options in [["qualty": "3"], ["level": "99"], ["container": "zip"]] {
            let error = #expect(throws: WorkbenchError.self) {
                try registry.makeCompressor(CompressorSpec(id: "identity", options: options))
            }
            #expect(error?.isUsageError == true, "\(options): \(String(describing: error))")
        }
        let unknown = #expect(throws: WorkbenchError.self) { try registry.makeCompressor(CompressorSpec(id: "nope")) }
        #expect(unknown?.isUsageError == false)
    }

    @Test func unavailableIDsFailWithTheirReason() {
        let withBroken = CompressorRegistry(
            registry.entries, unavailable: ["broken": "plugins/broken/plugin.json: not valid JSON"])
        let error = #expect(throws: WorkbenchError.self) {
            try withBroken.makeCompressor(CompressorSpec(id: "broken", options: ["level": "3"]))
        }
        #expect(error?.message == "compressor 'broken' cannot be used: plugins/broken/plugin.json: not valid JSON")
        #expect(withBroken.ids == ["identity", "other"])
    }

    @Test func unknownIDListsKnownIDs() {
        let error = #expect(throws: WorkbenchError.self) { try registry.makeCompressor(CompressorSpec(id: "nope")) }
        #expect(error?.message == "unknown compressor 'nope'; known compressors: identity, other")
    }

    @Test func defaultsAreFilledAndUnsetStaysUnset() throws {
        let entry = try registry.entry(for: "identity")
        let options = try ResolvedOptions([:], specs: entry.options, compressor: "identity")
        #expect(options.values == ["level": "19", "container": "gzip"])
        #expect(options.integer("dict") == nil)
    }

    @Test func unknownOptionListsKnownOptions() throws {
        let error = #expect(throws: WorkbenchError.self) {
            try registry.makeCompressor(CompressorSpec(id: "identity", options: ["qualty": "3"]))
        }
        #expect(error?.message.contains("unknown option 'qualty'; known options: level, container, dict") == true)
        let none = #expect(throws: WorkbenchError.self) {
            try registry.makeCompressor(CompressorSpec(id: "other", options: ["x": "1"]))
        }
        #expect(none?.message.contains("takes no options") == true)
    }

    @Test(arguments: [["level": "0"], ["level": "23"], ["level": "abc"], ["container": "zip"], ["dict": "1"]])
    func outOfRangeValuesAreRefused(_ options: [String: String]) {
        let error = #expect(throws: WorkbenchError.self) {
            try registry.makeCompressor(CompressorSpec(id: "identity", options: options))
        }
        #expect(error?.message.contains(options.keys.first ?? "") == true)
    }

    /// Each kind of bad value gets its own words: a decimal or a word is "not a whole number",
    /// nothing after `=` is "an empty value", only a number outside the range is "out of range".
    @Test func badValuesSayWhatIsWrongWithThem() throws {
        let cases: [(String, String)] = [
            ("zstd:level=3.0", "option 'level=3.0' is not a whole number; use a whole number in 1..22"),
            ("zstd:level=abc", "option 'level=abc' is not a whole number"),
            ("zstd:level=", "option 'level=' has an empty value"),
            ("zstd:level=99", "option 'level=99' is out of range; use a whole number in 1..22"),
        ]
        for (text, expected) in cases {
            let spec = try CompressorSpec(parsing: text)
            let error = #expect(throws: WorkbenchError.self) {
                try ResolvedOptions(
                    spec.options, specs: [OptionSpec("level", .integer(1...22), default: "19", help: "")], compressor: "zstd")
            }
            #expect(error?.message.contains(expected) == true, "\(text): \(error?.message ?? "")")
            #expect(text.hasSuffix("99") || error?.message.contains("out of range") == false, "\(text)")
        }
        let empty = #expect(throws: WorkbenchError.self) {
            try ResolvedOptions(["path": ""], specs: [OptionSpec("path", .text, default: nil, help: "")], compressor: "x")
        }
        #expect(empty?.message.contains("has an empty value") == true)
    }
}
