import Foundation
import WorkbenchCore

/// The contract every compressor must keep (README.md, "The contract"), as cases any caller can
/// run on any compressor: the test target runs them on every registered one, and
/// `workbench plugins check ID` on the one a user names, built-in or external.
public enum ConformanceSuite {
    /// Every case, in the order they are reported.
    public static let cases: [ConformanceCase] = [
        ConformanceCase("fixed inputs round-trip") { try roundTripsFixedInputs($0) },
        ConformanceCase("seeded random inputs round-trip") { try roundTripsSeededRandomInputs($0) },
        ConformanceCase("sample documents round-trip") { try roundTripsSampleDocuments($0) },
        ConformanceCase("deterministic across calls, instances and threads") { try isDeterministic($0) },
        ConformanceCase("batches equal single calls") { try batchesEqualSingleCalls($0) },
        ConformanceCase("decode bound") { try respectsTheDecodeBound($0) },
        ConformanceCase("symbols outside the alphabet") { try rejectsSymbolsOutsideTheAlphabet($0) },
        damagedStreams,
    ]

    /// The case that feeds damaged streams to `decode`: the one a broken decoder may hang in, so
    /// a caller may run it under a time limit of its own.
    public static let damagedStreams = ConformanceCase("truncated and bit-flipped streams") { try survivesDamagedStreams($0) }

    /// Runs every case on `subject`, in order.
    public static func run(_ subject: ConformanceSubject) -> [ConformanceOutcome] {
        cases.map { $0.run(on: subject) }
    }

    /// Inputs every compressor must round-trip exactly.
    public static let fixedInputs: [(name: String, bytes: [UInt8])] = [
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

    // MARK: Cases

    static func roundTripsFixedInputs(_ subject: ConformanceSubject) throws -> [String] {
        let compressor = try subject.make()
        return try fixedInputs.flatMap { try roundTripProblems(compressor, $0.bytes, $0.name) }
    }

    static func roundTripsSeededRandomInputs(_ subject: ConformanceSubject) throws -> [String] {
        let seed = SplitMix64.seed(from: subject.spec.description) % 1_000_000
        var generator = SplitMix64(seed: seed)
        let compressor = try subject.make()
        var failures: [String] = []
        for trial in 0..<20 {
            let length = Int.random(in: 1...4000, using: &generator)
            // Half uniform noise, half a small alphabet, so both incompressible and repetitive data appear.
            let limit: UInt8 = trial % 2 == 0 ? 255 : 3
            let input = (0..<length).map { _ in UInt8.random(in: 0...limit, using: &generator) }
            failures += try roundTripProblems(compressor, input, "random input #\(trial) (seed \(seed))")
        }
        return failures
    }

    static func roundTripsSampleDocuments(_ subject: ConformanceSubject) throws -> [String] {
        let compressor = try subject.make()
        return try subject.sampleDocuments.enumerated().flatMap { index, document in
            try roundTripProblems(compressor, document, "sample document \(index)")
        }
    }

    static func isDeterministic(_ subject: ConformanceSubject) throws -> [String] {
        let first = try subject.make()
        let second = try subject.make()
        let documents = Array(subject.sampleDocuments.prefix(4))
        let expected = try documents.map { try first.encode($0) }
        var failures: [String] = []
        for (index, (document, encoding)) in zip(documents, expected).enumerated() {
            if try first.encode(document) != encoding {
                failures.append("sample document \(index): a second call encodes differently")
            }
            if try second.encode(document) != encoding {
                failures.append("sample document \(index): a second instance encodes differently")
            }
        }
        if first.descriptor != second.descriptor { failures.append("two instances describe themselves differently") }
        // Compressors are Sendable: concurrent callers must get the same answers.
        let calls = documents.count * 4
        let results = ResultTable(count: calls)
        DispatchQueue.concurrentPerform(iterations: calls) { index in
            results.store(index, try? first.encode(documents[index % documents.count]))
        }
        for index in 0..<calls where results.value(index) != expected[index % documents.count] {
            failures.append("concurrent call \(index) (sample document \(index % documents.count)) encodes differently")
        }
        return failures
    }

    static func batchesEqualSingleCalls(_ subject: ConformanceSubject) throws -> [String] {
        let compressor = try subject.make()
        let documents = fixedInputs.map(\.bytes) + subject.sampleDocuments
        var failures: [String] = []
        let batch = compressor.encodeDocuments(documents)
        var encodings: [EncodedDocument] = []
        for (index, (document, result)) in zip(documents, batch).enumerated() {
            let single = try compressor.encode(document)
            switch result {
            case .success(let encoded):
                if encoded != single { failures.append("document \(index) of a batch encodes differently from a single call") }
            case .failure(let error):
                failures.append("document \(index) of a batch fails to encode: \(error.message)")
            }
            encodings.append(single)
        }
        let decoded = compressor.decodeDocuments(encodings, maxOutputBytes: documents.map(\.count))
        for (index, (document, result)) in zip(documents, decoded).enumerated() {
            switch result {
            case .success(let bytes) where bytes == document: break
            case .success: failures.append("document \(index) of a batch decodes to other bytes")
            case .failure(let error): failures.append("document \(index) of a batch fails to decode: \(error.message)")
            }
        }
        if batch.count != documents.count || decoded.count != documents.count {
            failures.append(
                "a batch of \(documents.count) documents gave \(batch.count) encodings and \(decoded.count) decodings")
        }
        return failures
    }

    static func respectsTheDecodeBound(_ subject: ConformanceSubject) throws -> [String] {
        let compressor = try subject.make()
        var failures: [String] = []
        for input in [Array("hello, bound".utf8), [UInt8](repeating: 7, count: 10_000)] {
            let encoded = try compressor.encode(input)
            if try compressor.decode(encoded, maxOutputBytes: input.count) != input {
                failures.append("\(input.count) bytes do not decode within a bound of exactly their length")
            }
            let buffer = DecodeBuffer()
            for (path, attempt) in [
                ("decode", { () throws -> Void in _ = try compressor.decode(encoded, maxOutputBytes: input.count - 1) }),
                (
                    "decode into a buffer",
                    { () throws -> Void in try compressor.decode(encoded, into: buffer, maxOutputBytes: input.count - 1) }
                ),
            ] {
                do {
                    try attempt()
                    failures.append("\(path): \(input.count) bytes decode within a bound of \(input.count - 1)")
                } catch let error as CodecError where error.kind == .outputLimitExceeded {
                    continue
                } catch {
                    failures.append("\(path) over the bound throws \(error), not output_limit_exceeded")
                }
            }
        }
        return failures
    }

    static func rejectsSymbolsOutsideTheAlphabet(_ subject: ConformanceSubject) throws -> [String] {
        let compressor = try subject.make()
        let alphabet = UInt32(truncatingIfNeeded: compressor.descriptor.alphabetSize)
        var failures: [String] = []
        // An alphabet of 2^32 has no symbol outside it.
        guard compressor.descriptor.alphabetSize < 1 << 32 else { return [] }
        for bad in [[alphabet], [0, alphabet, 0], [UInt32.max]] {
            do {
                _ = try compressor.decode(EncodedDocument(symbols: bad), maxOutputBytes: 1 << 20)
                failures.append("symbols \(bad) (alphabet \(alphabet)) decode without an error")
            } catch {
                continue
            }
        }
        return failures
    }

    /// Truncated and bit-flipped streams must never trap, hang or exceed the bound. (Whether a
    /// given corruption is detectable depends on the format: the identity cannot notice a missing
    /// byte, zstd's checksum can; plugin tests assert detection where the format allows it.)
    static func survivesDamagedStreams(_ subject: ConformanceSubject) throws -> [String] {
        let compressor = try subject.make()
        let alphabet = compressor.descriptor.alphabetSize
        let input = Array(
            (subject.sampleDocuments.first ?? Array(String(repeating: "def f(x): return x\n", count: 300).utf8)).prefix(6000))
        let symbols = try compressor.encode(input).symbols
        let bound = input.count * 2 + 64
        var generator = SplitMix64(seed: 0xF11B)
        var damaged: [(String, [UInt32])] = []
        if !symbols.isEmpty {
            damaged.append(("the last symbol dropped", Array(symbols.dropLast())))
            damaged.append(("cut in half", Array(symbols.prefix(symbols.count / 2))))
            damaged.append(("the first symbol dropped", Array(symbols.dropFirst())))
            damaged.append(("only the first symbol", Array(symbols.prefix(1))))
            for trial in 0..<40 {
                var copy = symbols
                let index = Int.random(in: 0..<copy.count, using: &generator)
                let bits = UInt32(SymbolPacking.bitsPerSymbol(alphabetSize: alphabet))
                let bit = UInt32(1) << UInt32.random(in: 0..<bits, using: &generator)
                copy[index] = UInt32((UInt64(copy[index] ^ bit)) % UInt64(alphabet))
                damaged.append(("bit flip #\(trial) at symbol \(index)", copy))
            }
        }
        var failures: [String] = []
        for (name, stream) in damaged {
            do {
                let output = try compressor.decode(EncodedDocument(symbols: stream), maxOutputBytes: bound)
                if output.count > bound {
                    failures.append("\(name): decodes to \(output.count) bytes, over the bound of \(bound)")
                }
            } catch {
                // A clear CodecError is the expected outcome for most formats.
                if error.message.isEmpty { failures.append("\(name): throws a CodecError without a message") }
            }
        }
        return failures
    }

    // MARK: Shared

    /// Round trip plus the structural promises: alphabet, spans, descriptor honesty. Returns
    /// what is wrong.
    public static func roundTripProblems(_ compressor: any Compressor, _ input: [UInt8], _ name: String) throws -> [String] {
        let descriptor = compressor.descriptor
        var failures: [String] = []
        let encoded = try compressor.encode(input)
        if let bad = encoded.firstSymbol(notBelow: descriptor.alphabetSize) {
            failures.append(
                "\(name): symbol \(encoded.symbols[bad]) at index \(bad) is not below the alphabet size \(descriptor.alphabetSize)"
            )
        }
        if try compressor.decode(encoded, maxOutputBytes: input.count) != input {
            failures.append("\(name): the round trip differs")
        }
        // The reusable-buffer path, into a buffer still holding a longer, different document.
        let buffer = DecodeBuffer()
        buffer.replace(with: [UInt8](repeating: 0xA5, count: input.count + 100))
        try compressor.decode(encoded, into: buffer, maxOutputBytes: input.count)
        if !buffer.holds(input) { failures.append("\(name): the round trip into a reused buffer differs") }
        if descriptor.givesSpans {
            if encoded.spans == nil {
                failures.append("\(name): the descriptor says it gives spans but the encoding has none")
            } else if let problem = encoded.spanProblem(documentByteCount: input.count) {
                failures.append("\(name): \(problem)")
            }
        } else if encoded.spans != nil {
            failures.append("\(name): the encoding has spans but the descriptor says it gives none")
        }
        return failures
    }
}
