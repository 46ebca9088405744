import Foundation
import Testing
import WorkbenchCore

@testable import ProxyTrainer

@Suite struct VocabularyTests {
    @Test func referenceLayout() throws {
        let zstd = try ProxyVocabulary(descriptor: CompressorDescriptor(id: "zstd", displayName: "z", alphabetSize: 256))
        #expect(zstd.size == 576)
        #expect(ProxyVocabulary.byteID(0) == 64 && ProxyVocabulary.byteID(255) == 319)
        #expect(zstd.ids(ofSymbols: [0]) == [320] && zstd.ids(ofSymbols: [255]) == [575])
        let windows = try ProxyVocabulary(descriptor: CompressorDescriptor(id: "ac", displayName: "a", alphabetSize: 65_536))
        #expect(windows.size == 65_856)
        let passThrough = try ProxyVocabulary(
            descriptor: CompressorDescriptor(id: "ac", displayName: "a", alphabetSize: 256 + 65_536, passesRawBytesThrough: true))
        #expect(passThrough.size == 65_856)
        #expect(passThrough.ids(ofSymbols: [65]) == [ProxyVocabulary.byteID(65)])
        #expect(passThrough.ids(ofSymbols: [256 + 7]) == [327])
        let shared = try ProxyVocabulary(
            descriptor: CompressorDescriptor(id: "gzip", displayName: "g", alphabetSize: 256), sharedByteEmbedding: true)
        #expect(shared.size == 320 && shared.ids(ofSymbols: [9]) == [73])
        #expect(throws: WorkbenchError.self) {
            try ProxyVocabulary(
                descriptor: CompressorDescriptor(id: "bpe", displayName: "b", alphabetSize: 4096), sharedByteEmbedding: true)
        }
    }
}

@Suite struct DrawTests {
    /// The share of compressed views equals r in every mode, including the pairing modes' correction.
    @Test(arguments: [StreamMode.sentinel, .translationRandom, .parallelRawCompressed])
    func compressedShareEqualsTheRate(mode: StreamMode) {
        var generator = SplitMix64(seed: 11)
        for rate in [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0] {
            var raw = 0, compressed = 0
            for _ in 0..<100_000 {
                switch mode.draw(rate: rate, using: &generator) {
                case .raw: raw += 1
                case .compressed: compressed += 1
                case .both: raw += 1; compressed += 1
                }
            }
            let share = Double(compressed) / Double(raw + compressed)
            #expect(abs(share - rate) < 0.01, "\(mode) r=\(rate): share \(share)")
        }
    }

    @Test func singleViewModesNeverPair() {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<1000 { #expect(StreamMode.sentinel.draw(rate: 0.5, using: &generator) != .both) }
    }
}

@Suite struct StreamBuilderTests {
    let document = ProxyDocument(raw: [64 + 97, 64 + 98], compressed: [320 + 5])

    @Test func sentinelLayouts() {
        let raw = StreamBuilder.units(for: document, views: .raw, mode: .sentinel, rawFirst: true)
        #expect(raw == [StreamUnit(tokens: [1, 12, 161, 162, 13, 2], views: [.special, .special, .raw, .raw, .raw, .special])])
        let compressed = StreamBuilder.units(for: document, views: .compressed, mode: .sentinel, rawFirst: true)
        #expect(compressed.map(\.tokens) == [[1, 14, 325, 15, 2]])
        let vanilla = StreamBuilder.units(for: document, views: .raw, mode: .vanilla, rawFirst: true)
        #expect(vanilla.map(\.tokens) == [[1, 161, 162, 2]])
    }

    @Test func pairLayouts() {
        #expect(
            StreamBuilder.units(for: document, views: .both, mode: .translationCompressedRaw, rawFirst: true).map(\.tokens)
                == [[1, 14, 325, 15, 12, 161, 162, 13, 2]])
        #expect(
            StreamBuilder.units(for: document, views: .both, mode: .parallelRawCompressed, rawFirst: false).map(\.tokens)
                == [[1, 12, 161, 162, 13, 2], [1, 14, 325, 15, 2]])
        #expect(
            StreamBuilder.units(for: document, views: .both, mode: .translationRandom, rawFirst: false).map(\.tokens)
                == [[1, 14, 325, 15, 12, 161, 162, 13, 2]])
    }
}

@Suite struct PackerTests {
    static func documents(_ count: Int) -> [ProxyDocument] {
        (0..<count).map { index in
            let length = 5 + index % 17
            return ProxyDocument(
                raw: (0..<length).map { 64 + Int32(($0 * 7 + index) % 256) },
                compressed: (0..<(length / 3 + 1)).map { 320 + Int32($0 + index) })
        }
    }

    func packer(extraHead: Bool = false, schedule: RateSchedule = .paper(totalSteps: 20)) throws -> SequencePacker {
        try SequencePacker(documents: Self.documents(30), schedule: schedule, sequenceLength: 32, extraHead: extraHead, seed: 5)
    }

    @Test func resumedStreamEqualsUninterrupted() throws {
        var straight = try packer(extraHead: true)
        let expected = try (0..<12).map { try straight.nextBatch(step: $0, batchSize: 3) }
        var first = try packer(extraHead: true)
        let head = try (0..<5).map { try first.nextBatch(step: $0, batchSize: 3) }
        // Save the state as a checkpoint would (JSON), restore it into a fresh packer.
        let saved = try JSONEncoder().encode(first.state)
        var resumed = try packer(extraHead: true)
        resumed.state = try JSONDecoder().decode(SequencePacker.State.self, from: saved)
        let tail = try (5..<12).map { try resumed.nextBatch(step: $0, batchSize: 3) }
        #expect(head + tail == expected)
    }

    @Test func noTokenIsLostAndBoundariesAreMasked() throws {
        var packer = try packer(schedule: .constant(rate: 0.5, mode: .sentinel, totalSteps: 10))
        let batch = try packer.nextBatch(step: 0, batchSize: 4)
        let documentIDs = try #require(batch.training.documentIDs)
        for row in 0..<4 {
            for position in 0..<31 {
                let index = row * 32 + position
                // Each target is the next input of the stream.
                #expect(batch.training.targets[index] == batch.training.tokens[index + 1])
                let crosses = documentIDs[index] != documentIDs[index + 1]
                #expect((batch.training.weights[index] == 0) == crosses, "row \(row) position \(position)")
            }
            if row < 3 { #expect(batch.training.targets[row * 32 + 31] == batch.training.tokens[(row + 1) * 32]) }
        }
        // A boundary target is the next document's bos, never scored.
        for (index, weight) in batch.training.weights.enumerated() where weight == 0 {
            #expect(batch.training.targets[index] == ProxyVocabulary.bos)
        }
    }

    @Test func extraHeadTargetsAreTheTokenAfterNextAtRawPositions() throws {
        var packer = try packer(extraHead: true, schedule: .constant(rate: 0, mode: .sentinel, totalSteps: 10))
        let batch = try packer.nextBatch(step: 0, batchSize: 1)
        let extra = try #require(batch.training.extraTargets), extraWeights = try #require(batch.training.extraWeights)
        for position in 0..<30 where extraWeights[position] > 0 {
            #expect(extra[position] == batch.training.targets[position + 1])
            #expect(batch.training.weights[position] == 0.5 && extraWeights[position] == 0.5)
            #expect(ProxyVocabulary.isByte(extra[position]) || extra[position] == ProxyVocabulary.rawClose)
        }
        #expect(extraWeights.contains { $0 > 0 })
    }

    @Test func compressedOnlyStreamHasNoRawBytes() throws {
        var packer = try packer(schedule: .constant(rate: 1, mode: .sentinel, totalSteps: 10))
        let batch = try packer.nextBatch(step: 0, batchSize: 2)
        #expect(!batch.training.tokens.contains(where: ProxyVocabulary.isByte))
    }

    @Test func impossibleConfigsAreRefused() {
        #expect(throws: ProxyTrainerError.self) {
            try SequencePacker(
                documents: Self.documents(3), schedule: .paper(totalSteps: 10), sequenceLength: 4, extraHead: false, seed: 0)
        }
        #expect(throws: ProxyTrainerError.self) {
            try SequencePacker(documents: [], schedule: .paper(totalSteps: 10), sequenceLength: 64, extraHead: false, seed: 0)
        }
        #expect(throws: ProxyTrainerError.self) {
            try SequencePacker(
                documents: Self.documents(3), schedule: .constant(rate: 1.5, mode: .sentinel, totalSteps: 10), sequenceLength: 64,
                extraHead: false, seed: 0)
        }
    }

    @Test func paperScheduleRampsThenHolds() {
        let schedule = RateSchedule.paper(totalSteps: 100)
        #expect(schedule.phase(at: 0) == (0.4, .translationRandom))
        #expect(abs(schedule.phase(at: 10).rate - 0.65) < 1e-12)
        #expect(schedule.phase(at: 20) == (0.9, .sentinel))
        #expect(schedule.phase(at: 99) == (0.9, .sentinel))
    }
}

@Suite struct EvaluationWindowTests {
    @Test(arguments: [(1, 8), (7, 8), (8, 8), (9, 8), (100, 8), (1000, 64), (5, 1)])
    func everyByteIsScoredExactlyOnceWithEnoughContext(bytes: Int, context: Int) {
        let windows = EvaluationWindow.windows(byteCount: bytes, context: context)
        var scored = [Int](repeating: 0, count: bytes + 3)
        for window in windows {
            #expect(window.length <= context && window.length > 0)
            #expect(window.scored.lowerBound > window.start && window.scored.upperBound <= window.start + window.length + 1)
            for target in window.scored {
                scored[target] += 1
                // Context: inputs from the window start up to the target.
                let contextTokens = target - window.start
                #expect(contextTokens >= min(target, (context + 1) / 2), "target \(target)")
            }
        }
        #expect(scored[0] == 0 && scored[1] == 0 && scored[bytes + 2] == 0)
        #expect(scored[2...(bytes + 1)].allSatisfy { $0 == 1 })
        #expect(EvaluationWindow.tokens(for: [0, 255]) == [1, 12, 64, 319, 13])
    }
}
