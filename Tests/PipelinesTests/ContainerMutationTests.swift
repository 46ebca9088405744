import Builtins
import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// The `compress` container against seeded damage, as `decompress` reads it: every mutation is
/// refused with a clear error, or (a change the checks cannot see) decodes to exactly the
/// original. Never a crash, a hang or different bytes. Mutations that also recompute the CRC (a
/// deliberate edit) reach the header checks and each compressor's decoder, which must refuse or
/// stay within the declared length.
@Suite struct ContainerMutationTests {
    static let specs = [
        "bytes", "nibbles", "bytepairs", "gzip", "zstd:level=3", "brotli:quality=5",
        "bpe:tokenizer=\(TestEnvironment.repositoryRoot)/Tests/ACTests/Fixtures/reference-code/bpe4096.tokenizer.json",
    ]

    struct Sample {
        var compressor: any Compressor
        var document: [UInt8]
        var container: [UInt8]
    }

    static func samples() throws -> [Sample] {
        let text = Array(
            "def greet(name):\n    \"\"\"Say hello.\"\"\"\n    return f'hello {name}' * 3  # ünïcode\n".utf8)
        return try specs.map { text in
            let compressor = try Builtins.registry.makeCompressor(try CompressorSpec(parsing: text))
            return (compressor, compressor.descriptor)
        }.map { compressor, descriptor in
            let document = text + Array(descriptor.id.utf8)
            let container = try SymbolContainer(
                spec: descriptor.spec.description, alphabetSize: descriptor.alphabetSize,
                symbols: try compressor.encode(document).symbols, originalByteCount: document.count)
            return Sample(compressor: compressor, document: document, container: container.serialized())
        }
    }

    /// What `decompress` does with bytes: parse, build the container's compressor, decode with
    /// the declared length as the bound, insist on that length.
    static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        let container = try SymbolContainer(parsing: bytes)
        let compressor = try Builtins.registry.makeCompressor(try CompressorSpec(parsing: container.spec))
        guard container.alphabetSize == compressor.descriptor.alphabetSize else {
            throw WorkbenchError("container alphabet \(container.alphabetSize) does not match")
        }
        let output = try compressor.decode(
            EncodedDocument(symbols: container.symbols), maxOutputBytes: container.originalByteCount)
        guard output.count == container.originalByteCount else { throw WorkbenchError("decoded \(output.count) bytes") }
        return output
    }

    static func isClear(_ error: any Error) -> Bool {
        switch error {
        case let codec as CodecError: return !codec.message.isEmpty
        case let workbench as WorkbenchError: return !workbench.message.isEmpty
        default: return false
        }
    }

    @Test(.timeLimit(.minutes(1))) func everyMutationIsRefusedOrHarmless() throws {
        let seed = Mutator.seed(fallback: 0x5EED_C0DE_0001)
        print("ContainerMutationTests seed \(seed) (replay with WORKBENCH_MUTATION_SEED=\(seed))")
        var generator = SplitMix64(seed: seed)
        let samples = try Self.samples()
        for sample in samples { #expect(try Self.decompress(sample.container) == sample.document) }
        var refused = 0
        var harmless = 0
        for index in 0..<700 {
            let sample = samples[index % samples.count]
            let (bytes, what) = Mutator.mutate(sample.container, using: &generator)
            do {
                let output = try Self.decompress(bytes)
                #expect(
                    output == sample.document,
                    "mutation \(index) (\(what)) of \(sample.compressor.descriptor.spec) decoded to other bytes")
                harmless += 1
            } catch {
                #expect(Self.isClear(error), "mutation \(index) (\(what)): unclear error \(error)")
                refused += 1
            }
        }
        print("ContainerMutationTests: \(refused) refused, \(harmless) harmless of 700")
        #expect(refused + harmless == 700)
    }

    /// Deliberate edits (the CRC recomputed): the header checks and the decoders refuse, or the
    /// output keeps the declared length (decompress then checks it); nothing crashes or hangs.
    @Test(.timeLimit(.minutes(1))) func resealedMutationsAreBoundedAndNeverCrash() throws {
        let seed = Mutator.seed(fallback: 0x5EED_C0DE_0002)
        print("ContainerMutationTests resealed seed \(seed)")
        var generator = SplitMix64(seed: seed)
        let samples = try Self.samples()
        for index in 0..<500 {
            let sample = samples[index % samples.count]
            var (bytes, what) = Mutator.mutate(Array(sample.container.dropLast(4)), using: &generator)
            let crc = CRC32.checksum(bytes)
            bytes += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
            do {
                let output = try Self.decompress(bytes)
                let declared = try SymbolContainer(parsing: bytes).originalByteCount
                #expect(output.count == declared, "mutation \(index) (\(what))")
            } catch {
                #expect(Self.isClear(error), "resealed mutation \(index) (\(what)): unclear error \(error)")
            }
        }
    }
}
