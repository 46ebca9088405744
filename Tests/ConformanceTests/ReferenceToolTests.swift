import BrotliPlugin
import Foundation
import GzipPlugin
import Testing
import WorkbenchCore
import ZstdPlugin

// Cross-checks of the zstd, brotli and gzip plugins against their reference command-line tools,
// through the committed fixtures that Fixtures/make_reference_fixtures.sh made, plus each
// plugin's rejection of bad input. Tests never run the tools or Python themselves.

/// The committed fixture files, read from the test bundle.
enum ReferenceFixtures {
    /// The originals the tools compressed.
    static let inputs = ["text.txt", "binary.bin", "empty.bin", "source.py"]

    static func directory() throws -> URL {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw WorkbenchError("the test bundle has no Fixtures folder")
        }
        return fixtures.appendingPathComponent("reference")
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory().appendingPathComponent(name)))
    }

    /// True when this run re-records our outputs (`WORKBENCH_RECORD_FIXTURES=1`).
    static var recording: Bool { ProcessInfo.processInfo.environment["WORKBENCH_RECORD_FIXTURES"] == "1" }

    /// Where recordings go: the source tree, not the bundle copy.
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    /// The plugins' library versions when our outputs were recorded, one `id version` per line.
    static func recordedVersions() -> [String: String] {
        guard let text = try? String(contentsOf: directory().appendingPathComponent("ours-versions.txt"), encoding: .utf8)
        else { return [:] }
        var versions: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { versions[String(parts[0])] = String(parts[1]) }
        }
        return versions
    }
}

/// The three plugins at the settings the tools used, under their fixture extensions.
struct ReferenceCodec: Sendable, CustomTestStringConvertible {
    let id: String
    let fileExtension: String
    let make: @Sendable () throws -> any Compressor

    var testDescription: String { id }

    static let all: [ReferenceCodec] = [
        ReferenceCodec(id: "zstd", fileExtension: "zst") { try ZstdCompressor(level: 19) },
        ReferenceCodec(id: "brotli", fileExtension: "br") { try BrotliCompressor(quality: 11) },
        ReferenceCodec(id: "gzip", fileExtension: "gz") { try GzipCompressor(level: 9) },
    ]
}

@Suite("Reference tools")
struct ReferenceToolTests {
    @Test("frames made by the zstd, brotli and gzip tools decode to the original", arguments: ReferenceCodec.all)
    func toolOutputDecodes(codec: ReferenceCodec) throws {
        let compressor = try codec.make()
        for input in ReferenceFixtures.inputs {
            let original = try ReferenceFixtures.bytes(input)
            let made = try ReferenceFixtures.bytes("\(input).\(codec.fileExtension)")
            let decoded = try compressor.decode(EncodedDocument(bytes: made), maxOutputBytes: original.count)
            #expect(decoded == original, "\(codec.id) tool output for \(input)")
        }
    }

    @Test("gzip level 9 equals Python's gzip.compress(data, 9, mtime=0), and zlib/raw likewise")
    func gzipMatchesPython() throws {
        let containers: [(DeflateContainer, String)] = [(.gzip, "python.gz"), (.zlib, "python.zlib"), (.raw, "python.deflate")]
        for (container, suffix) in containers {
            let compressor = try GzipCompressor(level: 9, container: container)
            for input in ReferenceFixtures.inputs {
                let original = try ReferenceFixtures.bytes(input)
                let expected = try ReferenceFixtures.bytes("\(input).\(suffix)")
                let encoded = try compressor.encode(original)
                #expect(encoded.symbols == expected.map(UInt32.init), "\(container.rawValue) bytes for \(input)")
                #expect(try compressor.decode(EncodedDocument(bytes: expected), maxOutputBytes: original.count) == original)
            }
        }
    }

    @Test("the brotli tool's stream equals ours at the window it chose for the file")
    func brotliMatchesTool() throws {
        // brotli 1.0.9's tool starts from window 24 and shrinks it to the smallest that holds
        // the whole file (at least 10); with that window the library writes the same bytes.
        // Not the empty file: the tool's streaming encoder writes a 2-byte empty stream, the
        // library's one-shot call the canonical 1-byte one (0x06); each decodes the other's.
        for input in ReferenceFixtures.inputs where input != "empty.bin" {
            let original = try ReferenceFixtures.bytes(input)
            var window = 10
            while (1 << window) - 16 < original.count && window < 24 { window += 1 }
            let encoded = try BrotliCompressor(quality: 11, window: window).encode(original)
            #expect(
                encoded.symbols == (try ReferenceFixtures.bytes("\(input).br")).map(UInt32.init), "\(input) at window \(window)")
        }
    }

    /// Our outputs, committed as `*.ours.*` so the fixture script checks that the tools decode
    /// them; re-recorded only on purpose, with `WORKBENCH_RECORD_FIXTURES=1`.
    @Test("our outputs are the committed ones that the tools decode", arguments: ReferenceCodec.all)
    func ourOutputMatchesRecording(codec: ReferenceCodec) throws {
        let compressor = try codec.make()
        let version = compressor.descriptor.libraryVersion ?? "none"
        if ReferenceFixtures.recording {
            try FileManager.default.createDirectory(at: ReferenceFixtures.sourceDirectory, withIntermediateDirectories: true)
            for input in ReferenceFixtures.inputs {
                let encoded = try compressor.encode(try ReferenceFixtures.bytes(input))
                let bytes = try encoded.bytes(compressor: codec.id)
                try Data(bytes).write(
                    to: ReferenceFixtures.sourceDirectory.appendingPathComponent("\(input).ours.\(codec.fileExtension)"),
                    options: .atomic)
            }
            try Self.recordVersion(id: codec.id, version: version)
            return
        }
        let recordedVersion = ReferenceFixtures.recordedVersions()[codec.id]
        for input in ReferenceFixtures.inputs {
            let original = try ReferenceFixtures.bytes(input)
            let recorded = try ReferenceFixtures.bytes("\(input).ours.\(codec.fileExtension)")
            #expect(try compressor.decode(EncodedDocument(bytes: recorded), maxOutputBytes: original.count) == original)
            // Another library version may legitimately write other bytes; then re-record and
            // rerun the fixture script's `verify`.
            if recordedVersion == version {
                #expect(try compressor.encode(original) == EncodedDocument(bytes: recorded), "\(codec.id) \(input)")
            }
        }
    }

    private static func recordVersion(id: String, version: String) throws {
        // Parameterized cases may run in parallel; a lock keeps the small file consistent.
        versionLock.lock()
        defer { versionLock.unlock() }
        let url = ReferenceFixtures.sourceDirectory.appendingPathComponent("ours-versions.txt")
        var versions: [String: String] = [:]
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2 { versions[String(parts[0])] = String(parts[1]) }
            }
        }
        versions[id] = version
        let text = versions.keys.sorted().map { "\($0) \(versions[$0] ?? "")\n" }.joined()
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    private static let versionLock = NSLock()

    @Test("descriptors report the linked library and resolved options", arguments: ReferenceCodec.all)
    func descriptor(codec: ReferenceCodec) throws {
        let descriptor = try codec.make().descriptor
        #expect(descriptor.id == codec.id)
        #expect(descriptor.alphabetSize == 256)
        #expect(!descriptor.givesSpans && !descriptor.passesRawBytesThrough)
        let version = try #require(descriptor.libraryVersion)
        #expect(version.split(separator: ".").count == 3, "\(version) is major.minor.patch")
        #expect(!descriptor.options.isEmpty)
    }

    @Test("registry rows build compressors with their defaults")
    func registryEntries() throws {
        let registry = CompressorRegistry([ZstdPlugin.entry, BrotliPlugin.entry, GzipPlugin.entry])
        let zstd = try registry.makeCompressor(CompressorSpec(id: "zstd"))
        #expect(zstd.descriptor.options == ["level": "19"])
        let brotli = try registry.makeCompressor(CompressorSpec(parsing: "brotli:quality=5,window=24"))
        #expect(brotli.descriptor.options == ["quality": "5", "window": "24"])
        let gzip = try registry.makeCompressor(CompressorSpec(parsing: "gzip:container=raw"))
        #expect(gzip.descriptor.options == ["level": "9", "container": "raw"])
        #expect(throws: WorkbenchError.self) { try registry.makeCompressor(CompressorSpec(parsing: "zstd:level=23")) }
        #expect(throws: WorkbenchError.self) { try registry.makeCompressor(CompressorSpec(parsing: "gzip:container=zip")) }
        #expect(throws: (any Error).self) { try registry.makeCompressor(CompressorSpec(parsing: "zstd:dict=4096")) }
    }
}

/// Every way a stream can be wrong must end in a `CodecError`, never a crash or a hang.
@Suite("Reference codecs reject bad input")
struct ReferenceCodecBadInputTests {
    /// A deterministic generator, so a failure names bytes that can be reproduced.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Decodes, returning the error kind, or nil when the stream decoded to something.
    static func outcome(_ compressor: any Compressor, _ bytes: [UInt8], limit: Int) -> CodecError.Kind? {
        do {
            _ = try compressor.decode(EncodedDocument(bytes: bytes), maxOutputBytes: limit)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test("every truncation throws", arguments: ReferenceCodec.all)
    func truncated(codec: ReferenceCodec) throws {
        let compressor = try codec.make()
        for input in ["text.txt", "empty.bin", "binary.bin"] {
            let original = try ReferenceFixtures.bytes(input)
            for stream in [
                try compressor.encode(original).bytes(compressor: codec.id),
                try ReferenceFixtures.bytes("\(input).\(codec.fileExtension)"),
            ] {
                for length in 0..<stream.count {
                    let kind = Self.outcome(compressor, Array(stream[..<length]), limit: original.count + 1024)
                    #expect(kind != nil, "\(codec.id) \(input) cut to \(length) of \(stream.count) bytes decoded")
                }
            }
        }
    }

    @Test("flipped bits throw or decode, never trap; checked formats catch them", arguments: ReferenceCodec.all)
    func flippedBits(codec: ReferenceCodec) throws {
        let compressor = try codec.make()
        let original = try ReferenceFixtures.bytes("text.txt")
        // The tools' zstd frames carry a checksum, gzip members a CRC-32; brotli has no check.
        let stream = try ReferenceFixtures.bytes("text.txt.\(codec.fileExtension)")
        var silentlyWrong: [Int] = []
        for bit in 0..<(stream.count * 8) {
            var flipped = stream
            flipped[bit / 8] ^= UInt8(1 << (bit % 8))
            // Decoding must end in a CodecError or in some bytes; a trap would end the test run.
            if let decoded = try? compressor.decode(EncodedDocument(bytes: flipped), maxOutputBytes: 4 * original.count),
                decoded != original
            {
                silentlyWrong.append(bit)
            }
        }
        // A flip may land on bits no decoder reads (gzip's MTIME/OS fields, padding after the
        // last block, a reserved header bit) and still give the original. With a check value
        // (zstd's checksum, gzip's CRC-32) a flip that changes the output must be caught.
        // Brotli has no check value, so it only has to return or throw.
        if codec.id != "brotli" {
            #expect(silentlyWrong.isEmpty, "flips at bits \(silentlyWrong) gave wrong output without an error")
        }
    }

    @Test("garbage throws", arguments: ReferenceCodec.all)
    func garbage(codec: ReferenceCodec) throws {
        let compressor = try codec.make()
        var generator = SplitMix64(state: 42)
        for length in [1, 2, 7, 64, 1000] {
            let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if codec.id == "brotli" {
                // Brotli has no magic number: random bytes may form a valid stream, but must not trap.
                _ = Self.outcome(compressor, noise, limit: 1 << 20)
            } else {
                #expect(Self.outcome(compressor, noise, limit: 1 << 20) != nil, "\(length) random bytes decoded")
            }
        }
        let text = Array("this is plain text, not a compressed stream at all".utf8)
        #expect(Self.outcome(compressor, text, limit: 1 << 20) != nil)
        #expect(Self.outcome(compressor, [], limit: 1 << 20) != nil)
        #expect(throws: CodecError.self) {
            try compressor.decode(EncodedDocument(symbols: [0x28, 0xB5, 256]), maxOutputBytes: 100)
        }
    }

    @Test("the decode bound holds, and an output exactly at it passes", arguments: ReferenceCodec.all)
    func decodeBound(codec: ReferenceCodec) throws {
        let compressor = try codec.make()
        for input in ReferenceFixtures.inputs {
            let original = try ReferenceFixtures.bytes(input)
            for stream in [
                try compressor.encode(original).bytes(compressor: codec.id),
                try ReferenceFixtures.bytes("\(input).\(codec.fileExtension)"),
            ] {
                #expect(try compressor.decode(EncodedDocument(bytes: stream), maxOutputBytes: original.count) == original)
                if !original.isEmpty {
                    for limit in [0, 1, original.count / 2, original.count - 1] {
                        #expect(Self.outcome(compressor, stream, limit: limit) == .outputLimitExceeded, "\(input) limit \(limit)")
                    }
                }
            }
        }
        // A long run compresses to a few bytes; a small bound must stop it early.
        let run = [UInt8](repeating: 0x41, count: 5_000_000)
        let stream = try compressor.encode(run).bytes(compressor: codec.id)
        #expect(stream.count < 10_000)
        #expect(Self.outcome(compressor, stream, limit: 4096) == .outputLimitExceeded)
        #expect(Self.outcome(compressor, stream, limit: -1) == .outputLimitExceeded)
    }
}

@Suite("Reference codec features")
struct ReferenceCodecFeatureTests {
    @Test("concatenated zstd frames and gzip members decode to the concatenation, as the tools do")
    func concatenation() throws {
        let text = try ReferenceFixtures.bytes("text.txt")
        let source = try ReferenceFixtures.bytes("source.py")
        let zstd = try ZstdCompressor()
        let frames = try ReferenceFixtures.bytes("text.txt.zst") + ReferenceFixtures.bytes("source.py.zst")
        #expect(try zstd.decode(EncodedDocument(bytes: frames), maxOutputBytes: 1 << 20) == text + source)
        #expect(throws: CodecError.self) {
            try zstd.decode(EncodedDocument(bytes: frames), maxOutputBytes: text.count + source.count - 1)
        }
        let gzip = try GzipCompressor()
        let members = try ReferenceFixtures.bytes("text.txt.gz") + ReferenceFixtures.bytes("source.py.gz")
        #expect(try gzip.decode(EncodedDocument(bytes: members), maxOutputBytes: 1 << 20) == text + source)
        // zlib and raw streams are single: anything after their end is an error.
        let zlib = try GzipCompressor(container: .zlib)
        let twoZlib = try ReferenceFixtures.bytes("text.txt.python.zlib") + ReferenceFixtures.bytes("text.txt.python.zlib")
        #expect(throws: CodecError.self) { try zlib.decode(EncodedDocument(bytes: twoZlib), maxOutputBytes: 1 << 20) }
        let brotli = try BrotliCompressor()
        let twoBrotli = try ReferenceFixtures.bytes("text.txt.br") + ReferenceFixtures.bytes("text.txt.br")
        #expect(throws: CodecError.self) { try brotli.decode(EncodedDocument(bytes: twoBrotli), maxOutputBytes: 1 << 20) }
    }

    @Test("a trained zstd dictionary round-trips, shrinks small documents, and is required to decode")
    func zstdDictionary() throws {
        // Samples: 40-line pieces of argparse.py, the small documents a dictionary is for.
        let lines = try ReferenceFixtures.bytes("source.py").split(separator: 0x0A, omittingEmptySubsequences: false)
        var samples: [[UInt8]] = []
        var start = 0
        while start < lines.count {
            let piece = lines[start..<min(start + 40, lines.count)].map { Array($0) + [0x0A] }.joined()
            samples.append(Array(piece))
            start += 40
        }
        let dictionary = try ZstdDictionary.train(capacity: 8192, samples: samples)
        #expect(dictionary.bytes.count <= 8192 && dictionary.dictionaryID != 0)
        let withDictionary = try ZstdCompressor(level: 19, dictionary: dictionary)
        let plain = try ZstdCompressor(level: 19)
        #expect(withDictionary.descriptor.options["dict"] == String(dictionary.bytes.count))
        let text = try ReferenceFixtures.bytes("text.txt")
        for document in samples.prefix(5) + [text, []] {
            let encoded = try withDictionary.encode(document)
            #expect(try withDictionary.decode(encoded, maxOutputBytes: document.count) == document)
        }
        let small = samples[3]
        let dictFrame = try withDictionary.encode(small)
        #expect(dictFrame.symbols.count < (try plain.encode(small)).symbols.count)
        #expect {
            try plain.decode(dictFrame, maxOutputBytes: 1 << 20)
        } throws: { error in
            (error as? CodecError)?.kind == .incompatibleStream
        }
        // The dictionary survives the artifact cache: a second build loads it instead of training.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent(
            "zstd-dict-test-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: cache) }
        let context = CompressorBuildContext(
            trainingDocuments: { [samples] in samples }, trainingCorpusKey: "argparse-pieces", artifactCacheDirectory: cache.path)
        let first = try ZstdPlugin.entry.make(ResolvedOptions(values: ["level": "19", "dict": "8192"]), context)
        let cachedContext = CompressorBuildContext(
            trainingDocuments: { throw WorkbenchError("must not train again") }, trainingCorpusKey: "argparse-pieces",
            artifactCacheDirectory: cache.path)
        let second = try ZstdPlugin.entry.make(ResolvedOptions(values: ["level": "19", "dict": "8192"]), cachedContext)
        #expect(try second.decode(first.encode(small), maxOutputBytes: small.count) == small)
    }

    @Test("every option value round-trips the source file")
    func allOptions() throws {
        let source = try ReferenceFixtures.bytes("source.py")
        var compressors: [any Compressor] = []
        for level in [1, 3, 9, 22] { compressors.append(try ZstdCompressor(level: level)) }
        for quality in [0, 1, 5, 9] { compressors.append(try BrotliCompressor(quality: quality, window: 16)) }
        compressors.append(try BrotliCompressor(quality: 11, window: 10))
        for container in DeflateContainer.allCases {
            for level in [1, 6] { compressors.append(try GzipCompressor(level: level, container: container)) }
        }
        for compressor in compressors {
            let encoded = try compressor.encode(source)
            #expect(encoded.symbols.count < source.count / 2, "\(compressor.descriptor.spec)")
            #expect(try compressor.decode(encoded, maxOutputBytes: source.count) == source, "\(compressor.descriptor.spec)")
        }
    }

    @Test("concurrent callers share one compressor safely")
    func concurrency() async throws {
        let source = try ReferenceFixtures.bytes("source.py")
        let compressors: [any Compressor] = [
            try ZstdCompressor(level: 3), try BrotliCompressor(quality: 5), try GzipCompressor(level: 6),
        ]
        for compressor in compressors {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        let document = Array(source[(task * 1000)...])
                        let encoded = try compressor.encode(document)
                        return try compressor.decode(encoded, maxOutputBytes: document.count) == document
                    }
                }
                for try await ok in group { #expect(ok) }
            }
        }
    }
}
