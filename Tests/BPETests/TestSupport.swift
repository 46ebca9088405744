import BPEPlugin
import Foundation
import WorkbenchCore
import WorkbenchTestSupport

/// Shared inputs for the BPE tests: fixtures beside the tests and the shipped corpus.
enum BPETestSupport {
    static var fixtures: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.path ?? "Fixtures"
    }

    static var corpus: Corpus? { TestEnvironment.shippedCorpus }

    static func documents(_ split: CorpusSplit) -> [[UInt8]] {
        corpus?.documents(in: split).map(\.bytes) ?? []
    }

    /// Reads little-endian integers of a fixed width from a fixture file.
    static func littleEndian(_ name: String, width: Int) throws -> [UInt32] {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - width + 1, by: width).map { start in
            var value: UInt32 = 0
            for index in (0..<width).reversed() { value = value << 8 | UInt32(bytes[start + index]) }
            return value
        }
    }

    /// The token strings of an encoding, for readable failures.
    static func strings(_ ids: [UInt32], _ model: BPEModel) -> [String] {
        ids.map { String(decoding: model.tokens[Int($0)], as: UTF8.self) }
    }
}
