import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

/// The two shipped examples, driven through the host: round trips, descriptors, bounds,
/// corrupt input, concurrency. The conformance suite runs them too; these tests keep the host
/// honest on its own.
@Suite(.timeLimit(.minutes(1)))
struct ExamplePluginTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one zero byte", [0]),
        ("all 256 byte values", (0...255).map { UInt8($0) }),
        ("64 KB of zeros", [UInt8](repeating: 0, count: 65_536)),
        ("invalid UTF-8", [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]),
        ("text", Array("def f(x):\n    return x + 1\n".utf8)),
    ]

    /// The option sets worth checking for each example.
    static let xzConfigurations: [(String, [String: String])] = [
        ("xz-python", [:]), ("xz-python", ["container": "raw", "preset": "1"]),
    ]
    static let rleConfigurations: [(String, [String: String])] = [("rle-c", [:])]

    /// The xz example, skipped (and reported as skipped) without python3.
    @Suite(.enabled(if: TestSupport.hasPython, "python3 is not on PATH"))
    struct XZPython {
        @Test func roundTrips() throws { try ExamplePluginTests.roundTrips(xzConfigurations) }
        @Test func enforcesTheBound() throws { try ExamplePluginTests.enforcesTheDecodeBound(xzConfigurations) }
        @Test func servesConcurrentCallers() throws { try ExamplePluginTests.servesConcurrentCallers(xzConfigurations) }

        @Test func describesItselfFromTheHandshake() throws {
            let xz = try TestSupport.example("xz-python", ["preset": "9"])
            #expect(xz.descriptor.id == "xz-python")
            #expect(xz.descriptor.alphabetSize == 256)
            #expect(xz.descriptor.libraryName == "python-lzma")
            #expect(xz.handshake.name == "xz-python" && xz.descriptor.libraryVersion == xz.handshake.libraryVersion)
            #expect(xz.descriptor.options == ["preset": "9", "container": "xz"])
            #expect(!xz.descriptor.givesSpans && !xz.descriptor.passesRawBytesThrough)
            #expect(xz.descriptor.spec.description == "xz-python:container=xz,preset=9")
        }

        @Test func buildsThroughTheRegistry() throws {
            let entries = try ExternalPlugins.discover(in: [TestSupport.examplesDirectory])
            let compressor = try CompressorRegistry(entries).makeCompressor(CompressorSpec(parsing: "xz-python:preset=0"))
            #expect(compressor.descriptor.options["preset"] == "0")
            let input = Array("spec syntax works".utf8)
            #expect(try compressor.decode(compressor.encode(input), maxOutputBytes: 100) == input)
        }
    }

    /// The run-length example in C, skipped (and reported as skipped) without a C compiler.
    @Suite(.enabled(if: TestSupport.hasCompiler, "no C compiler (cc) on PATH"))
    struct RLEC {
        @Test func roundTrips() throws { try ExamplePluginTests.roundTrips(rleConfigurations) }
        @Test func enforcesTheBound() throws { try ExamplePluginTests.enforcesTheDecodeBound(rleConfigurations) }
        @Test func servesConcurrentCallers() throws { try ExamplePluginTests.servesConcurrentCallers(rleConfigurations) }

        @Test func describesItselfFromTheHandshake() throws {
            let rle = try TestSupport.example("rle-c")
            #expect(rle.descriptor.alphabetSize == 512)
            #expect(rle.descriptor.givesSpans && rle.descriptor.passesRawBytesThrough)
            let encoded = try rle.encode(Array("aaaab".utf8))
            // 'a', repeat 3 more, 'b': two runs, two spans.
            #expect(encoded.symbols == [97, 256 + 2, 98])
            #expect(encoded.spans == [SymbolSpan(symbols: 0..<2, bytes: 0..<4), SymbolSpan(symbols: 2..<3, bytes: 4..<5)])
        }
    }

    /// Round trips of fixed, random and corpus inputs, single and batched.
    static func roundTrips(_ configurations: [(String, [String: String])]) throws {
        var generator = SplitMix64(seed: 0xE7E7)
        let random = (0..<8).map { trial in
            (0..<Int.random(in: 1...5000, using: &generator)).map { _ in
                UInt8.random(in: 0...(trial % 2 == 0 ? 255 : 2), using: &generator)
            }
        }
        let corpus = TestSupport.corpusDocuments(count: 6)
        #expect(!corpus.isEmpty, "shipped corpus missing")
        for (id, options) in configurations {
            let compressor = try TestSupport.example(id, options)
            let all = Self.inputs + random.map { ("random", $0) } + corpus.map { ("corpus", $0) }
            for (name, input) in all {
                let encoded = try compressor.encode(input)
                #expect(encoded.firstSymbol(notBelow: compressor.descriptor.alphabetSize) == nil)
                #expect(try compressor.decode(encoded, maxOutputBytes: input.count) == input, "\(id) \(options) \(name)")
                if compressor.descriptor.givesSpans {
                    let spans = try #require(encoded.spans)
                    #expect(spans.last?.symbols.upperBound ?? 0 == encoded.symbols.count)
                    #expect(spans.last?.bytes.upperBound ?? 0 == input.count)
                } else {
                    #expect(encoded.spans == nil)
                }
            }
            // Batches give the same answers as single calls.
            let batch = try compressor.encode(batch: all.map(\.1)).map { try $0.get() }
            for (index, (_, input)) in all.enumerated() {
                #expect(batch[index] == (try compressor.encode(input)))
            }
            let decoded = compressor.decode(batch: batch, maxOutputBytes: Array(repeating: 1 << 20, count: batch.count))
            #expect(try decoded.map { try $0.get() } == all.map(\.1))
        }
    }

    /// The decode bound, out-of-range symbols and damaged streams: clear errors, a live process.
    static func enforcesTheDecodeBound(_ configurations: [(String, [String: String])]) throws {
        for (id, options) in configurations {
            let compressor = try TestSupport.example(id, options)
            let input = [UInt8](repeating: 7, count: 10_000)
            let encoded = try compressor.encode(input)
            #expect(try compressor.decode(encoded, maxOutputBytes: input.count) == input)
            let over = #expect(throws: CodecError.self) { try compressor.decode(encoded, maxOutputBytes: input.count - 1) }
            #expect(over?.kind == .outputLimitExceeded, "\(id): \(String(describing: over))")
            let alphabet = UInt32(compressor.descriptor.alphabetSize)
            let outside = #expect(throws: CodecError.self) {
                try compressor.decode(EncodedDocument(symbols: [0, alphabet]), maxOutputBytes: 100)
            }
            #expect(outside?.kind == .symbolOutOfRange)
            // Damaged streams throw clear errors or decode within the bound; the process survives.
            let text = Array(TestSupport.corpusDocuments(count: 1).first?.prefix(4000) ?? [1, 2, 3])
            let good = try compressor.encode(text).symbols
            var generator = SplitMix64(seed: 0xBAD)
            for trial in 0..<20 {
                var damaged = trial == 0 ? Array(good.dropLast()) : good
                if trial > 0, !damaged.isEmpty {
                    let index = Int.random(in: 0..<damaged.count, using: &generator)
                    damaged[index] = (damaged[index] ^ UInt32(1 << (trial % 8))) % alphabet
                }
                do {
                    let output = try compressor.decode(EncodedDocument(symbols: damaged), maxOutputBytes: text.count * 2)
                    #expect(output.count <= text.count * 2)
                } catch {
                    #expect(error.kind != .pluginFailure, "\(id): a damaged stream is the input's fault: \(error)")
                }
            }
            #expect(try compressor.decode(compressor.encode(text), maxOutputBytes: text.count) == text)
        }
    }

    /// Sixteen concurrent callers get the single-call answers; shutdown is followed by a restart.
    static func servesConcurrentCallers(_ configurations: [(String, [String: String])]) throws {
        let documents = TestSupport.corpusDocuments(count: 4)
        for (id, options) in configurations {
            let compressor = try TestSupport.example(id, options)
            let expected = try documents.map { try compressor.encode($0) }
            let results = Results(count: 16)
            DispatchQueue.concurrentPerform(iterations: 16) { index in
                results.store(index, try? compressor.encode(documents[index % documents.count]))
            }
            for index in 0..<16 { #expect(results.value(index) == expected[index % documents.count]) }
            compressor.shutdown()
            #expect(try compressor.encode(documents[0]) == expected[0], "restarts after shutdown")
        }
    }

    @Test func discoversTheShippedExamples() throws {
        let entries = try ExternalPlugins.discover(in: [TestSupport.examplesDirectory])
        #expect(entries.map(\.id) == ["rle-c", "xz-python"])
        let xz = try #require(entries.first { $0.id == "xz-python" })
        #expect(xz.options.map(\.name) == ["preset", "container"])
        #expect(xz.conformanceOptions == [["container": "raw", "preset": "1"]])
        #expect(throws: WorkbenchError.self) {
            _ = try CompressorRegistry(entries).makeCompressor(CompressorSpec(parsing: "xz-python:preset=12"))
        }
    }
}

/// A lock-protected result table for concurrent calls.
final class Results: @unchecked Sendable {
    private var values: [EncodedDocument?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func store(_ index: Int, _ value: EncodedDocument?) { lock.withLock { values[index] = value } }
    func value(_ index: Int) -> EncodedDocument? { lock.withLock { values[index] } }
}
