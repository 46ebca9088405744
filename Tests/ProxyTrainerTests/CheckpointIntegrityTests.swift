import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@testable import ProxyTrainer

/// `--resume` never continues from a damaged checkpoint: one flipped bit in tensor data, which
/// no structural check can see, is refused by the file's checksum, and the file is left as it was.
@Suite(.serialized) struct CheckpointIntegrityTests {
    @Test func aFlippedBitInTensorDataIsRefusedAndNothingIsOverwritten() throws {
        let path = try TestEnvironment.temporaryDirectory(prefix: "proxy-checkpoint")
        let run = try TrainingRunTests.run(path, TrainingRunTests.config())
        try run.train(until: 2)
        let file = path + "/checkpoint.safetensors"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        // The last bytes are AdamW moments: any value there parses as a float.
        bytes[bytes.count - 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: file))
        let error = #expect(throws: ProxyTrainerError.self) {
            try TrainingRunTests.run(path, TrainingRunTests.config(), resume: true)
        }
        let message = error?.message ?? ""
        #expect(message.contains("checksum mismatch"), "\(message)")
        #expect(message.contains(file), "\(message)")
        #expect(message.contains("nothing was overwritten"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == bytes)
    }
}
