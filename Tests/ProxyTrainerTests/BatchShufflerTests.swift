import Foundation
import Testing
import WorkbenchCore

@testable import ProxyTrainer

/// Shuffled blocks: the same sequences as the stream, in another order, resumable exactly.
@Suite struct BatchShufflerTests {
    func packer(seed: UInt64 = 5) throws -> SequencePacker {
        try SequencePacker(
            documents: PackerTests.documents(30), schedule: .constant(rate: 0.5, mode: .sentinel, totalSteps: 100),
            sequenceLength: 32, extraHead: true, seed: seed)
    }

    @Test func oneBatchPerBlockIsTheStreamUnchanged() throws {
        var plain = try packer()
        var shuffler = BatchShuffler(packer: try packer(), blockBatches: 1)
        for step in 0..<6 {
            #expect(try shuffler.nextBatch(step: step, batchSize: 3) == plain.nextBatch(step: step, batchSize: 3))
        }
    }

    @Test func aBlockHoldsTheStreamsSequencesInAnotherOrder() throws {
        var plain = try packer()
        var shuffler = BatchShuffler(packer: try packer(), blockBatches: 4)
        var streamed: [PackedBatch] = []
        var shuffled: [PackedBatch] = []
        for step in 0..<4 {
            streamed += try plain.nextBatch(step: step, batchSize: 3).rows()
            shuffled += try shuffler.nextBatch(step: step, batchSize: 3).rows()
        }
        #expect(shuffled != streamed)
        func key(_ row: PackedBatch) -> [Int32] { row.training.tokens + row.training.targets }
        #expect(
            shuffled.map(key).sorted { $0.lexicographicallyPrecedes($1) }
                == streamed.map(key).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test(arguments: [0, 1, 3, 4, 5, 8])
    func aResumedShufflerServesTheSameBatches(stopAfter: Int) throws {
        var uninterrupted = BatchShuffler(packer: try packer(), blockBatches: 4)
        let expected = try (0..<11).map { try uninterrupted.nextBatch(step: $0, batchSize: 2) }
        var first = BatchShuffler(packer: try packer(), blockBatches: 4)
        var served: [PackedBatch] = []
        for step in 0..<stopAfter { served.append(try first.nextBatch(step: step, batchSize: 2)) }
        let saved = try JSONEncoder().encode(first.state)
        var resumed = BatchShuffler(packer: try packer(), blockBatches: 4)
        resumed.state = try JSONDecoder().decode(BatchShuffler.State.self, from: saved)
        for step in stopAfter..<11 { served.append(try resumed.nextBatch(step: step, batchSize: 2)) }
        #expect(served == expected)
    }
}
