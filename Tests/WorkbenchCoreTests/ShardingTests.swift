import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@Suite struct ShardingTests {
    @Test func assignmentsPartitionEveryUnitCount() throws {
        for worldSize in 1...7 {
            for unitCount in [0, 1, 2, 5, 13, 100] {
                var covered: [Int] = []
                for rank in 0..<worldSize {
                    covered += Array(try ShardAssignment(rank: rank, worldSize: worldSize).units(of: unitCount))
                }
                #expect(covered == Array(0..<unitCount), "world \(worldSize), units \(unitCount)")
            }
        }
        #expect(try ShardAssignment(rank: 2, worldSize: 4).stem == "shard-2-of-4")
    }

    @Test func rankOutsideTheWorldIsRefused() {
        for (rank, worldSize) in [(3, 3), (-1, 2), (0, 0)] {
            let error = #expect(throws: WorkbenchError.self) { try ShardAssignment(rank: rank, worldSize: worldSize) }
            #expect(error?.message.contains("\(worldSize)") == true)
        }
    }

    func completedShard(_ directory: ShardDirectory, rank: Int, worldSize: Int, text: String = "data") throws -> ShardMarker {
        let assignment = try ShardAssignment(rank: rank, worldSize: worldSize)
        let writer = try AtomicFileWriter(path: directory.file(assignment.stem + ".jsonl"))
        try writer.write(Array(text.utf8))
        let record = try writer.commit()
        let marker = ShardMarker(
            assignment: assignment, job: "test", units: assignment.units(of: 10), unitCount: 10,
            counts: ShardCounts(documents: 1, rawBytes: 4, symbols: 4, items: 1, skippedLines: 0), outputs: [record])
        try directory.writeMarker(marker)
        return marker
    }

    @Test func markerIsVerifiedBySizeAndChecksum() throws {
        let directory = try ShardDirectory(path: try TestEnvironment.temporaryDirectory(), create: true)
        let marker = try completedShard(directory, rank: 0, worldSize: 2)
        let assignment = try ShardAssignment(rank: 0, worldSize: 2)
        #expect(try directory.completedShard(assignment, job: "test").marker == marker)
        // Same size, other bytes: only the checksum can tell.
        try "dXta".write(toFile: directory.file("shard-0-of-2.jsonl"), atomically: true, encoding: .utf8)
        #expect(try directory.completedShard(assignment, job: "test").problem?.contains("SHA-256") == true)
        try "dat".write(toFile: directory.file("shard-0-of-2.jsonl"), atomically: true, encoding: .utf8)
        #expect(try directory.completedShard(assignment, job: "test").problem?.contains("truncated") == true)
        try FileManager.default.removeItem(atPath: directory.file("shard-0-of-2.jsonl"))
        #expect(try directory.completedShard(assignment, job: "test").problem?.contains("missing") == true)
        #expect(throws: WorkbenchError.self) { try directory.completedShard(assignment, job: "another job") }
    }

    @Test func changedWorldSizeIsRefusedNamingTheOldOne() throws {
        let directory = try ShardDirectory(path: try TestEnvironment.temporaryDirectory(), create: true)
        _ = try completedShard(directory, rank: 1, worldSize: 3)
        try directory.checkWorldSize(3)
        let error = #expect(throws: WorkbenchError.self) { try directory.checkWorldSize(4) }
        #expect(error?.message.contains("--world-size 3") == true)
    }

    @Test func mergeRefusesIncompleteShardsNamingThem() throws {
        let directory = try ShardDirectory(path: try TestEnvironment.temporaryDirectory(), create: true)
        _ = try completedShard(directory, rank: 0, worldSize: 3)
        _ = try completedShard(directory, rank: 2, worldSize: 3)
        try "x".write(toFile: directory.file("shard-2-of-3.jsonl"), atomically: true, encoding: .utf8)
        let error = #expect(throws: WorkbenchError.self) { try directory.completeShards() }
        #expect(error?.message.contains("shard-1-of-3") == true)
        #expect(error?.message.contains("shard-2-of-3.jsonl has 1 bytes") == true)
        #expect(error?.message.contains("shard-0-of-3") == false)
    }

    @Test func writerLeavesNothingUnderTheNameUntilCommit() throws {
        let path = try TestEnvironment.temporaryDirectory() + "/out.bin"
        let writer = try AtomicFileWriter(path: path)
        try writer.write([1, 2, 3])
        #expect(!FileManager.default.fileExists(atPath: path))
        let record = try writer.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3]))
        #expect(record == OutputFileRecord(name: "out.bin", bytes: 3, sha256: SHA256.hexDigest([UInt8]([1, 2, 3]))))
        let abandoned = try AtomicFileWriter(path: path + "2")
        try abandoned.write([9])
        abandoned.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) == ["out.bin"])
    }

    @Test func aShardBeingWrittenIsRefusedToASecondWriterAndFreedAfter() throws {
        let directory = try ShardDirectory(path: try TestEnvironment.temporaryDirectory(), create: true)
        let rank0 = try ShardAssignment(rank: 0, worldSize: 2)
        var first: ShardLock? = try ShardLock(rank0, in: directory)
        let error = #expect(throws: WorkbenchError.self) { try ShardLock(rank0, in: directory) }
        #expect(
            error?.message.hasPrefix(
                "shard-0-of-2 in '\(directory.path)' is being written by another process (pid \(getpid()) on ") == true)
        // Another rank is free meanwhile, and the shard is free once its writer is gone.
        _ = try ShardLock(try ShardAssignment(rank: 1, worldSize: 2), in: directory)
        #expect(first != nil)
        first = nil
        _ = try ShardLock(rank0, in: directory)
    }

    /// Lock files outlive their runs; one left by a run with another N neither blocks a new N
    /// nor makes a merge see two world sizes.
    @Test func staleLockFilesAreNotShards() throws {
        let directory = try ShardDirectory(path: try TestEnvironment.temporaryDirectory(), create: true)
        _ = try ShardLock(try ShardAssignment(rank: 0, worldSize: 3), in: directory)
        #expect(FileManager.default.fileExists(atPath: directory.file(".shard-0-of-3.lock")))
        #expect(directory.worldSizesPresent().isEmpty)
        try directory.checkWorldSize(2)
    }
}
