import Builtins
import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

/// The contract every registered compressor must keep (STYLE.md), run on every row of the
/// Builtins table and every external plugin in plugins/external, with default options and each
/// of a row's `conformanceOptions`. A new plugin gets this suite by existing; nothing here names
/// a plugin.
@Suite struct ConformanceSuite {
    /// Built-in rows plus the shipped external plugins.
    static let registry: CompressorRegistry = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let external = (try? ExternalPlugins.discover(in: [ExternalPlugins.defaultDirectory(repositoryRoot: root.path)], skipMissing: true)) ?? []
        return (try? ExternalPlugins.registry(Builtins.registry, adding: external)) ?? Builtins.registry
    }()

    /// Every (id, options) configuration the registry asks to be checked.
    static let configurations: [CompressorSpec] = registry.entries.flatMap { entry in
        [CompressorSpec(id: entry.id)] + entry.conformanceOptions.map { CompressorSpec(id: entry.id, options: $0) }
    }

    /// A small training set from the shipped corpus, for compressors that train (dictionaries, BPE).
    static let context: CompressorBuildContext = {
        let training = ShippedSample.documents(split: .train, count: 40)
        return CompressorBuildContext(trainingDocuments: { training }, trainingCorpusKey: nil, artifactCacheDirectory: nil)
    }()

    static func make(_ spec: CompressorSpec) throws -> any Compressor {
        try registry.makeCompressor(spec, context: context)
    }

    /// Inputs every compressor must round-trip exactly.
    static let fixedInputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one zero byte", [0]),
        ("one 0xff byte", [255]),
        ("all 256 byte values", (0...255).map { UInt8($0) }),
        ("all 256 values descending twice", (0...255).reversed().map { UInt8($0) } + (0...255).reversed().map { UInt8($0) }),
        ("100 KB of 'a'", [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)),
        ("64 KB of zeros", [UInt8](repeating: 0, count: 65_536)),
        ("invalid UTF-8", [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xed, 0xa0, 0x80]),
        ("text with a trailing newline", Array("def f(x):\n    return x + 1\n".utf8)),
    ]

    @Test func externalPluginsAreIncluded() {
        #expect(Self.registry.ids.contains("xz-python") && Self.registry.ids.contains("rle-c"))
    }

    @Test(arguments: configurations)
    func roundTripsFixedInputs(_ spec: CompressorSpec) throws {
        let compressor = try Self.make(spec)
        for (name, input) in Self.fixedInputs {
            try expectRoundTrip(compressor, input, name)
        }
    }

    @Test(arguments: configurations)
    func roundTripsSeededRandomInputs(_ spec: CompressorSpec) throws {
        let seed = SplitMix64.seed(from: spec.description) % 1_000_000
        print("\(spec): random inputs with seed \(seed)")
        var generator = SplitMix64(seed: seed)
        let compressor = try Self.make(spec)
        for trial in 0..<20 {
            let length = Int.random(in: 1...4000, using: &generator)
            // Half uniform noise, half a small alphabet, so both incompressible and repetitive data appear.
            let limit: UInt8 = trial % 2 == 0 ? 255 : 3
            let input = (0..<length).map { _ in UInt8.random(in: 0...limit, using: &generator) }
            try expectRoundTrip(compressor, input, "random #\(trial) (seed \(seed))")
        }
    }

    @Test(arguments: configurations)
    func roundTripsTheShippedCorpusSample(_ spec: CompressorSpec) throws {
        let compressor = try Self.make(spec)
        for document in ShippedSample.documents(split: .valid, count: 8) {
            try expectRoundTrip(compressor, document, "valid-split document")
        }
    }

    @Test(arguments: configurations)
    func isDeterministicAcrossCallsInstancesAndThreads(_ spec: CompressorSpec) throws {
        let first = try Self.make(spec)
        let second = try Self.make(spec)
        let documents = ShippedSample.documents(split: .valid, count: 4)
        let expected = try documents.map { try first.encode($0) }
        for (document, encoding) in zip(documents, expected) {
            #expect(try first.encode(document) == encoding)
            #expect(try second.encode(document) == encoding)
        }
        #expect(first.descriptor == second.descriptor)
        // Compressors are Sendable: concurrent callers must get the same answers.
        let results = ConcurrentResults(count: documents.count * 4)
        DispatchQueue.concurrentPerform(iterations: documents.count * 4) { index in
            results.store(index, try? first.encode(documents[index % documents.count]))
        }
        for index in 0..<(documents.count * 4) {
            #expect(results.value(index) == expected[index % documents.count], "concurrent call \(index)")
        }
    }

    @Test(arguments: configurations)
    func respectsTheDecodeBound(_ spec: CompressorSpec) throws {
        let compressor = try Self.make(spec)
        for input in [Array("hello, bound".utf8), [UInt8](repeating: 7, count: 10_000)] {
            let encoded = try compressor.encode(input)
            #expect(try compressor.decode(encoded, maxOutputBytes: input.count) == input)
            let error = #expect(throws: CodecError.self) { try compressor.decode(encoded, maxOutputBytes: input.count - 1) }
            #expect(error?.kind == .outputLimitExceeded, "\(spec): \(String(describing: error))")
            let buffer = DecodeBuffer()
            let intoError = #expect(throws: CodecError.self) {
                try compressor.decode(encoded, into: buffer, maxOutputBytes: input.count - 1)
            }
            #expect(intoError?.kind == .outputLimitExceeded, "\(spec), into a buffer: \(String(describing: intoError))")
        }
    }

    @Test(arguments: configurations)
    func rejectsSymbolsOutsideTheAlphabet(_ spec: CompressorSpec) throws {
        let compressor = try Self.make(spec)
        let alphabet = UInt32(compressor.descriptor.alphabetSize)
        for bad in [[alphabet], [0, alphabet, 0], [UInt32.max]] {
            #expect(throws: CodecError.self, "\(spec) accepted \(bad)") {
                try compressor.decode(EncodedDocument(symbols: bad), maxOutputBytes: 1 << 20)
            }
        }
    }

    /// Truncated and bit-flipped streams must never trap, hang or exceed the bound. (Whether a
    /// given corruption is detectable depends on the format: the identity cannot notice a missing
    /// byte, zstd's checksum can; plugin tests assert detection where the format allows it.)
    @Test(.timeLimit(.minutes(2)), arguments: configurations)
    func survivesTruncatedAndBitFlippedStreams(_ spec: CompressorSpec) throws {
        let compressor = try Self.make(spec)
        let alphabet = compressor.descriptor.alphabetSize
        let input = ShippedSample.documents(split: .valid, count: 1)[0].prefix(6000)
        let encoded = try compressor.encode(Array(input))
        let bound = input.count * 2 + 64
        var generator = SplitMix64(seed: 0xF11B)
        var damaged: [[UInt32]] = []
        let symbols = encoded.symbols
        if !symbols.isEmpty {
            damaged.append(Array(symbols.dropLast()))
            damaged.append(Array(symbols.prefix(symbols.count / 2)))
            damaged.append(Array(symbols.dropFirst()))
            damaged.append(Array(symbols.prefix(1)))
            for _ in 0..<40 {
                var copy = symbols
                let index = Int.random(in: 0..<copy.count, using: &generator)
                let bit = UInt32(1) << UInt32.random(in: 0..<UInt32(SymbolPacking.bitsPerSymbol(alphabetSize: alphabet)), using: &generator)
                copy[index] = (copy[index] ^ bit) % UInt32(alphabet)
                damaged.append(copy)
            }
        }
        for stream in damaged {
            do {
                let output = try compressor.decode(EncodedDocument(symbols: stream), maxOutputBytes: bound)
                #expect(output.count <= bound)
            } catch {
                // A clear CodecError is the expected outcome for most formats.
                #expect(!error.message.isEmpty)
            }
        }
    }

    /// Round trip plus the structural promises: alphabet, spans, descriptor honesty.
    func expectRoundTrip(_ compressor: any Compressor, _ input: [UInt8], _ name: String) throws {
        let descriptor = compressor.descriptor
        let encoded = try compressor.encode(input)
        #expect(encoded.firstSymbol(notBelow: descriptor.alphabetSize) == nil, "\(descriptor.spec) \(name): symbol outside alphabet")
        let decoded = try compressor.decode(encoded, maxOutputBytes: input.count)
        #expect(decoded == input, "\(descriptor.spec) \(name): round trip differs")
        // The reusable-buffer path, into a buffer still holding a longer, different document.
        let buffer = DecodeBuffer()
        buffer.replace(with: [UInt8](repeating: 0xA5, count: input.count + 100))
        try compressor.decode(encoded, into: buffer, maxOutputBytes: input.count)
        #expect(buffer.holds(input), "\(descriptor.spec) \(name): round trip into a reused buffer differs")
        if descriptor.givesSpans {
            let spans = try #require(encoded.spans, "\(descriptor.spec) says it gives spans but returned none")
            var nextSymbol = 0
            var nextByte = 0
            for span in spans {
                #expect(span.symbols.lowerBound == nextSymbol && span.bytes.lowerBound == nextByte, "\(name): spans not contiguous")
                nextSymbol = span.symbols.upperBound
                nextByte = span.bytes.upperBound
            }
            #expect(nextSymbol == encoded.symbols.count && nextByte == input.count, "\(name): spans do not cover everything")
        } else {
            #expect(encoded.spans == nil, "\(descriptor.spec) returned spans but its descriptor says it gives none")
        }
    }
}

/// A lock-protected result table for concurrent calls.
final class ConcurrentResults: @unchecked Sendable {
    private var values: [EncodedDocument?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ value: EncodedDocument?) { lock.withLock { values[index] = value } }
    func value(_ index: Int) -> EncodedDocument? { lock.withLock { values[index] } }
}

extension CompressorSpec: CustomTestStringConvertible {
    public var testDescription: String { description }
}
