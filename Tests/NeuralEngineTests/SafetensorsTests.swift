import Foundation
import Testing

@testable import NeuralEngine

extension NeuralEngineTests {
    @Suite struct SafetensorsTests {
        @Test func weightsRoundTrip() throws {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let p = try Parameters(config: tinyConfig(extraHead: true), seed: 5)
            let path = dir.appendingPathComponent("model.safetensors").path
            try p.save(to: path, extraMetadata: ["note": "hello \"world\""])
            let q = try Parameters.load(from: path)
            #expect(q == p)
            let file = try Safetensors.read(path: path)
            #expect(file.metadata["format"] == EngineFileFormat.weights)
            #expect(file.metadata["format_version"] == "2")
            #expect(file.hasChecksum)
            #expect(file.metadata["note"] == "hello \"world\"")
        }

        /// Builds a file with one tensor altered by `edit`, loads it and returns the error.
        static func loadError(_ edit: (inout [NamedTensor], inout [String: String]) -> Void) throws -> EngineError? {
            let p = try Parameters(config: tinyConfig(), seed: 5)
            var tensors = p.namedTensors()
            var meta = [
                "format": EngineFileFormat.weights, "format_version": "1",
                "config": EngineFileFormat.encodeConfig(p.config),
            ]
            edit(&tensors, &meta)
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("m.safetensors").path
            try Safetensors.write(tensors, metadata: meta, to: path)
            do { _ = try Parameters.load(from: path); return nil } catch let e as EngineError { return e }
        }

        @Test func badTensorsAreNamed() throws {
            let missing = try Self.loadError { t, _ in t.removeAll { $0.name == "blocks.1.mlp.fc.weight" } }
            #expect(missing?.description.contains("'blocks.1.mlp.fc.weight' is missing") == true)
            let shape = try Self.loadError { t, _ in
                let i = t.firstIndex { $0.name == "head.weight" }!
                t[i].shape = [t[i].shape[1], t[i].shape[0]]
            }
            #expect(
                shape
                    == .shapeMismatch(
                        file: shape.map {
                            if case .shapeMismatch(let f, _, _, _) = $0 { return f }; return ""
                        } ?? "",
                        name: "head.weight", expected: [29, 16], found: [16, 29]))
            let format = try Self.loadError { _, m in m["format"] = "something.else" }
            #expect(format?.description.contains("something.else") == true)
            let version = try Self.loadError { _, m in m["format_version"] = "99" }
            #expect(version?.description.contains("format_version '99'") == true)
            let noConfig = try Self.loadError { _, m in m["config"] = nil }
            #expect(noConfig?.description.contains("config") == true)
            let badConfig = try Self.loadError { _, m in
                m["config"] =
                    #"{"vocabularySize":29,"width":16,"layers":0,"heads":2,"mlpMultiplier":4,"contextLength":8,"extraHead":false,"ropeBase":10000,"normEpsilon":1e-5}"#
            }
            #expect(badConfig?.description.contains("layers must be at least 1") == true)
        }

        @Test func wrongDtypeIsNamed() throws {
            // hand-build a header declaring one tensor as F16
            let p = try Parameters(config: tinyConfig(), seed: 5)
            // Without a checksum: this test edits the header by hand (an older file's shape).
            var data = Safetensors.serialize(
                p.namedTensors(),
                metadata: [
                    "format": EngineFileFormat.weights, "format_version": "1", "config": EngineFileFormat.encodeConfig(p.config),
                ], checksum: false)
            let n = Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16
            var header = String(decoding: data[8..<(8 + n)], as: UTF8.self)
            // norm_f.weight has 16 floats = 64 bytes; as F16 with shape [32] it stays consistent
            header = header.replacingOccurrences(
                of: #""norm_f.weight":{"dtype":"F32","shape":[16]"#,
                with: #""norm_f.weight":{"dtype":"F16","shape":[32]"#)
            var h = Data(header.utf8)
            while h.count < n { h.append(0x20) }
            #expect(h.count == n)
            data.replaceSubrange(8..<(8 + n), with: h)
            let file = try Safetensors.parse(data, fileName: "x.safetensors")
            var q = try Parameters(zerosFor: p.config)
            #expect(
                throws: EngineError.dtypeMismatch(file: "x.safetensors", name: "norm_f.weight", expected: "F32", found: "F16")
            ) {
                try q.fill(from: file)
            }
        }

        @Test func corruptFilesThrowNotTrap() throws {
            let p = try Parameters(config: tinyConfig(), seed: 5)
            let good = Safetensors.serialize(p.namedTensors(), metadata: ["format": EngineFileFormat.weights])
            var cases: [Data] = [Data(), Data([1, 2, 3]), good.prefix(8), good.prefix(100), good.dropLast(4)]
            var huge = good; huge[7] = 0x7f; cases.append(huge)
            var notJSON = good; notJSON[9] = 0x00; cases.append(notJSON)
            var rng = SeededGenerator(seed: 77)
            for _ in 0..<40 {
                var flipped = good
                let i = 8 + Int(rng.next() % 200)
                flipped[i] ^= UInt8(1 << (rng.next() % 8))
                cases.append(flipped)
            }
            for (k, bytes) in cases.enumerated() {
                do {
                    let f = try Safetensors.parse(Data(bytes), fileName: "case\(k)")
                    var q = try Parameters(zerosFor: p.config)
                    try q.fill(from: f)  // may succeed when a flip hit only padding or data
                } catch is EngineError {
                } catch {
                    Issue.record("case \(k): unexpected error type \(error)")
                }
            }
            #expect(throws: EngineError.self) { _ = try Safetensors.read(path: "/nonexistent/dir/x.safetensors") }
        }

        @Test func fastChecksumEqualsTheByteByByteReference() {
            var generator = SeededGenerator(seed: 4242)
            print("FileChecksum seed 4242")
            for count in [0, 1, 7, 8, 9, 15, 16, 17, 1000, 4099] {
                let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let fast = bytes.withUnsafeBytes { FileChecksum.crc32($0) }
                #expect(fast == FileChecksum.referenceCRC32(bytes), "\(count) bytes")
            }
            // The standard check value of CRC-32: "123456789" -> cbf43926.
            #expect(Array("123456789".utf8).withUnsafeBytes { FileChecksum.crc32($0) } == 0xCBF4_3926)
        }

        /// A flipped bit in tensor data (where no parse check can see it) is refused by the checksum,
        /// naming the file; so is one in the header.
        @Test func aFlippedBitAnywhereIsRefused() throws {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let p = try Parameters(config: tinyConfig(), seed: 5)
            let path = dir.appendingPathComponent("model.safetensors").path
            try p.save(to: path)
            let good = try Data(contentsOf: URL(fileURLWithPath: path))
            for offset in [good.count - 3, good.count / 2, 20] {
                var damaged = good
                damaged[offset] ^= 0x08
                try damaged.write(to: URL(fileURLWithPath: path))
                let error = #expect(throws: EngineError.self) { try Parameters.load(from: path) }
                let text = error?.description ?? ""
                #expect(text.contains(path), "\(text)")
                #expect(text.contains("checksum") || text.contains("malformed"), "offset \(offset): \(text)")
            }
            var damaged = good
            damaged[good.count - 3] ^= 0x08
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(throws: EngineError.self) { try Checkpoint.load(from: path) }
        }

        /// A version-2 file must carry its checksum; a version-1 file without one (older builds)
        /// loads, with a warning that it could not be verified.
        @Test func olderFilesWithoutAChecksumLoadWithAWarning() throws {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let p = try Parameters(config: tinyConfig(), seed: 5)
            let path = dir.appendingPathComponent("old.safetensors").path
            var meta = [
                "format": EngineFileFormat.weights, "format_version": "1", "config": EngineFileFormat.encodeConfig(p.config),
            ]
            try Safetensors.serialize(p.namedTensors(), metadata: meta, checksum: false).write(to: URL(fileURLWithPath: path))
            nonisolated(unsafe) var warnings: [String] = []
            let saved = EngineFileFormat.warn
            EngineFileFormat.warn = { warnings.append($0) }
            defer { EngineFileFormat.warn = saved }
            #expect(try Parameters.load(from: path) == p)
            #expect(warnings.count == 1 && warnings[0].contains("without a checksum"), "\(warnings)")
            meta["format_version"] = "2"
            try Safetensors.serialize(p.namedTensors(), metadata: meta, checksum: false).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: EngineError.self) { try Parameters.load(from: path) }
            #expect(error?.description.contains("has none") == true)
        }

        /// NaN or infinite weights are refused on load, naming the tensor: they never reach an
        /// evaluation whose numbers would be NaN.
        @Test func nonFiniteWeightsAreRefused() throws {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            var p = try Parameters(config: tinyConfig(), seed: 5)
            p.values[3] = .nan
            let path = dir.appendingPathComponent("nan.safetensors").path
            try p.save(to: path)
            let error = #expect(throws: EngineError.self) { try Parameters.load(from: path) }
            #expect(error?.description.contains("must be finite") == true, "\(error?.description ?? "")")
        }

        /// Training 3 steps, checkpointing, 3 more steps equals resuming from the checkpoint.
        @Test func resumedRunContinuesExactly() throws {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = tinyConfig(extraHead: true)
            let schedule = LearningRateSchedule(maxLearningRate: 3e-3, minLearningRate: 1e-4, warmupSteps: 2, totalSteps: 6)
            func batch(_ rng: inout SeededGenerator) -> TrainingBatch {
                randomBatch(config, batch: 2, length: 8, seed: rng.next(), documents: true, extra: true)
            }
            let a = try TrainingSession(
                model: TransformerModel(config: config, seed: 1), schedule: schedule, maxGradientNorm: 0.5)
            var rng = SeededGenerator(seed: 99)
            for _ in 0..<3 { try a.step(batch(&rng)) }
            let path = dir.appendingPathComponent("ckpt.safetensors").path
            try a.checkpoint(rngState: rng.state, userMetadata: ["run": "x"]).save(to: path)
            var lossesA = [Float]()
            for _ in 0..<3 { lossesA.append(try a.step(batch(&rng)).loss) }

            let ck = try Checkpoint.load(from: path)
            #expect(ck.userMetadata["run"] == "x")
            #expect(ck.maxGradientNorm == 0.5)
            let b = try TrainingSession(checkpoint: ck)
            var rngB = try #require(SeededGenerator(state: ck.rngState))
            var lossesB = [Float]()
            for _ in 0..<3 { lossesB.append(try b.step(batch(&rngB)).loss) }
            #expect(lossesA.map(\.bitPattern) == lossesB.map(\.bitPattern))
            #expect(a.model.parameters == b.model.parameters)
            #expect(a.optimizer == b.optimizer)
        }
    }
}
