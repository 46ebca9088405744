import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

@testable import ACPlugin

/// The `m1_ac_ow<B>` field against what the reference code itself unpacks (committed fixtures,
/// Fixtures/reference-code/README.md): for every window size, including 20 bits (not a whole
/// number of bytes), our field is the layout the reference reads back into the same windows.
@Suite struct ReferenceFixtureTests {
    struct Case: Decodable {
        var name: String
        var field: String
        var window_bits: Int
        var stream: [String]
        var workbench_symbols_pass_through: [UInt32]?
        var workbench_symbols_plain: [UInt32]?
        var nine_bit_values_reference_layout: [UInt16]
        var field_reference_layout: String
    }

    struct Fixture: Decodable { var cases: [Case] }

    static let fixture: Fixture? = {
        let path = TestEnvironment.repositoryRoot + "/Tests/ACTests/Fixtures/reference-code/ac.json"
        return (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? JSONDecoder().decode(Fixture.self, from: $0) }
    }()

    @Test func theFixtureIsThere() throws {
        let fixture = try #require(Self.fixture, "Tests/ACTests/Fixtures/reference-code/ac.json is missing or unreadable")
        #expect(Set(fixture.cases.map(\.window_bits)) == [0, 16, 20])
    }

    @Test func fieldsMatchTheReferenceLayoutForEveryWindowSize() throws {
        let fixture = try #require(Self.fixture)
        var checked = 0
        for item in fixture.cases {
            // A bare compressed byte in a windowed stream is something only a hand-made stream
            // holds (the reference drops it); our symbols are whole windows or raw bytes.
            if item.stream.contains(where: { $0.hasPrefix("compressed_byte") }) && item.window_bits > 0 { continue }
            let plain = item.window_bits == 0
            let symbols = try #require(plain ? item.workbench_symbols_plain : item.workbench_symbols_pass_through, "\(item.name)")
            let descriptor = CompressorDescriptor(
                id: "ac", displayName: "", options: ["window": String(item.window_bits)],
                alphabetSize: plain ? 256 : 256 + (1 << item.window_bits), passesRawBytesThrough: !plain)
            let values = try ReferenceExport.nineBitValues(
                symbols, windowBits: item.window_bits, passesRawBytesThrough: !plain)
            #expect(values == item.nine_bit_values_reference_layout, "\(item.name)")
            let field = try ReferenceExport.m1ACField(EncodedDocument(symbols: symbols), descriptor: descriptor)
            #expect(field.name == item.field, "\(item.name)")
            #expect(field.value == item.field_reference_layout, "\(item.name)")
            checked += 1
        }
        #expect(checked >= 5)
    }
}
