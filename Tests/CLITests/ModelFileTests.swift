import Foundation
import Testing

/// Weights and checkpoints carry a checksum: a flipped bit is refused, naming the file, by `eval`
/// and by `train --resume` (which overwrites nothing); NaN weights never reach a JSON encoder.
@Suite(.serialized) struct ModelFileTests {
    /// A two-step training run of a tiny model on a tiny corpus.
    static func tinyRun() throws -> (directory: String, corpus: String) {
        let directory = try temporaryDirectory()
        let corpus = directory + "/small.jsonl"
        let lines = (0..<60).map { "{\"text\": \"def f\($0)(x):\\n    return x * \($0) + \($0 % 7)\\n\"}" }
        try lines.joined(separator: "\n").write(toFile: corpus, atomically: true, encoding: .utf8)
        let arguments = [
            "train", "--corpus", corpus, "--out", directory + "/run", "--width", "16", "--layers", "1", "--heads", "2",
            "--context", "32", "--batch", "2", "--steps", "2", "--checkpoint-every", "1", "--evaluation-sample-bytes", "64",
        ]
        let outcome = try WorkbenchProcess.run(arguments)
        guard outcome.status == 0 else { throw CLIError("tiny training run failed: \(outcome.standardError)") }
        return (directory + "/run", corpus)
    }

    @Test func aFlippedBitIsRefusedByEvalAndResume() throws {
        let (run, corpus) = try Self.tinyRun()
        let model = run + "/model.safetensors"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: model)))
        bytes[bytes.count - 5] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: model))
        let eval = try WorkbenchProcess.run(["eval", "--checkpoint", model, "--corpus", corpus, "--split", "all"])
        #expect(eval.status == 1)
        #expect(eval.standardError.contains("\(model): checksum mismatch"), "\(eval.standardError)")

        let checkpoint = run + "/checkpoint.safetensors"
        var saved = try [UInt8](Data(contentsOf: URL(fileURLWithPath: checkpoint)))
        saved[saved.count / 2] ^= 0x01
        try Data(saved).write(to: URL(fileURLWithPath: checkpoint))
        try? FileManager.default.removeItem(atPath: run + "/result.json")
        let resume = try WorkbenchProcess.run([
            "train", "--corpus", corpus, "--out", run, "--width", "16", "--layers", "1", "--heads", "2", "--context", "32",
            "--batch", "2", "--steps", "2", "--checkpoint-every", "1", "--evaluation-sample-bytes", "64", "--resume",
        ])
        #expect(resume.status == 1)
        #expect(resume.standardError.contains("checksum mismatch"), "\(resume.standardError)")
        #expect(resume.standardError.contains("nothing was overwritten"), "\(resume.standardError)")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: checkpoint))) == saved)
    }

    /// Weights holding NaN (checksum intact: the file was written that way) are a clear error
    /// naming the tensor, not an NSCocoaErrorDomain dump from the JSON encoder.
    @Test func nanWeightsAreAClearError() throws {
        let (run, corpus) = try Self.tinyRun()
        let model = run + "/model.safetensors"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: model)))
        // The last float of the data: 0x7FC00000 (NaN), then the checksum resealed.
        bytes.replaceSubrange((bytes.count - 4)..<bytes.count, with: [0x00, 0x00, 0xC0, 0x7F])
        try Data(Self.resealedSafetensors(bytes)).write(to: URL(fileURLWithPath: model))
        let eval = try WorkbenchProcess.run(["eval", "--checkpoint", model, "--corpus", corpus, "--split", "all"])
        #expect(eval.status == 1)
        #expect(eval.standardError.contains("holds nan"), "\(eval.standardError)")
        #expect(eval.standardError.contains("must be finite"), "\(eval.standardError)")
        #expect(!eval.standardError.contains("NSCocoaErrorDomain"))
    }

    /// A safetensors file with its `crc32:` checksum recomputed (the CRC-32 of the file with
    /// the 8 hex digits read as `0`s).
    static func resealedSafetensors(_ bytes: [UInt8]) -> [UInt8] {
        let marker = Array("\"checksum\":\"crc32:".utf8)
        guard
            let start = (0...(bytes.count - marker.count)).first(where: { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        else { return bytes }
        let digits = start + marker.count
        var zeroed = bytes
        zeroed.replaceSubrange(digits..<(digits + 8), with: Array("00000000".utf8))
        let hex = String(crc32(zeroed), radix: 16)
        zeroed.replaceSubrange(digits..<(digits + 8), with: Array((String(repeating: "0", count: 8 - hex.count) + hex).utf8))
        return zeroed
    }
}

/// A test's own failure.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
