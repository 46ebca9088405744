import Foundation
import Testing
import WorkbenchCore

@testable import ACPlugin

/// The range coder and the equal-info window rule on synthetic distributions.
@Suite struct CoderTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [42]),
        ("counting", (0..<600).map { UInt8(truncatingIfNeeded: $0) }),
        ("text", Array("def f(x):\n    return x + 1\n".utf8)),
        ("random", randomBytes(800, seed: 7)),
        ("small alphabet", randomBytes(800, seed: 8, below: 3)),
        ("zeros", [UInt8](repeating: 0, count: 1200)),
    ]

    @Test(arguments: [16, 24])
    func plainACRoundTripsAndStaysNearTheIdealLength(precision: Int) throws {
        for (name, input) in Self.inputs {
            let makers: [@Sendable () -> BytePredictor] = [{ UniformPredictor() }, { SkewedPredictor() }]
            for make in makers {
                let codec = fakeCodec(window: 0, precision: precision, predictor: make)
                let encoded = try codec.encode(input)
                #expect(encoded.symbols.allSatisfy { $0 < 256 })
                #expect(try codec.decode(encoded.symbols, maxOutputBytes: input.count) == input, "\(name)")
            }
        }
        // Uniform model: 8 bits per byte, so the payload is the input plus at most 2 bytes.
        let input = randomBytes(10_000, seed: 3)
        let uniform = try fakeCodec(window: 0, precision: precision) { UniformPredictor() }.encode(input)
        #expect(uniform.symbols.count <= 10_000 + 2 + 2)
        #expect(uniform.symbols.count >= 10_000 + 2)
    }

    @Test func plainACOverheadOnASkewedModelIsBelowATenthOfAPercent() throws {
        // Input drawn from the skewed model itself, so its ideal length is known exactly.
        var generator = SplitMix64(seed: 11)
        let model = SkewedPredictor()
        var input: [UInt8] = []
        var ideal = 0.0
        for _ in 0..<50_000 {
            let p = model.probabilities
            let sum = p.reduce(0, +)
            var u = Float(generator.next() % 1_000_000) / 1_000_000 * sum
            var byte = 255
            for i in 0..<256 { u -= p[i]; if u < 0 { byte = i; break } }
            ideal -= log2(Double(p[byte]) / Double(sum))
            input.append(UInt8(byte))
            try model.append(UInt8(byte))
        }
        let encoded = try fakeCodec(window: 0, precision: 24) { SkewedPredictor() }.encode(input)
        let bits = Double(encoded.symbols.count - 3) * 8  // 3 length-header bytes
        print("skewed model: ideal \(ideal) bits, coded \(bits) bits, overhead \((bits / ideal - 1) * 100)%")
        #expect(bits / ideal - 1 < 0.001)
    }

    @Test(arguments: [(16, 16), (20, 14), (24, 16), (31, 16), (32, 17), (16, 10)])
    func windowsRoundTripOnAdversarialDistributions(window: Int, precision: Int) throws {
        #expect(EqualInfoWindowCoder.validate(bits: window, precision: precision) == nil)
        for seed: UInt64 in [1] {
            for context in [ACCodingSettings.ContextPolicy.window, .segment] {
                for raw in [false, true] {
                    let codec = fakeCodec(window: window, precision: precision, context: context, rawTails: raw) {
                        HashedPredictor(seed: seed)
                    }
                    for (name, input) in Self.inputs {
                        let encoded = try codec.encode(input)
                        let alphabet = UInt64((raw ? 256 : 0) + (1 << window))
                        #expect(encoded.symbols.allSatisfy { UInt64($0) < alphabet })
                        let decoded = try codec.decode(encoded.symbols, maxOutputBytes: input.count)
                        #expect(
                            decoded == input, "\(name) window \(window) precision \(precision) seed \(seed) \(context) raw \(raw)"
                        )
                    }
                }
            }
        }
    }

    @Test func eachWindowDecodesToExactlyItsSpan() throws {
        let codec = fakeCodec(window: 16, precision: 16, context: .window) { SkewedPredictor() }
        let input = randomBytes(2000, seed: 5, below: 20)
        let encoded = try codec.encode(input)
        let spans = try #require(encoded.spans)
        #expect(spans.count == encoded.symbols.count)
        for span in spans {
            // context=window: every window stands alone.
            let bytes = try codec.decode([encoded.symbols[span.symbols.lowerBound]], maxOutputBytes: 1 << 20)
            #expect(bytes == Array(input[span.bytes]))
        }
    }

    @Test func windowsAreGreedy() throws {
        // The encoder stops only when the next byte does not fit in a whole cell: check by
        // narrowing with the next byte by hand.
        let coder = EqualInfoWindowCoder(bits: 16, precision: 16)
        let input = randomBytes(3000, seed: 9, below: 40)
        let codec = fakeCodec(window: 16, precision: 16) { SkewedPredictor() }
        let encoded = try codec.encode(input)
        let spans = try #require(encoded.spans)
        var stepBacks = 0
        for span in spans.dropLast() {
            let predictor = SkewedPredictor()
            var table = FrequencyTable(precision: 16)
            var interval = EqualInfoWindowCoder.Interval.whole
            for index in span.bytes {
                table.update(from: predictor.probabilities, oddFrequencies: true)
                interval = coder.child(interval, table, Int(input[index]))
                try predictor.append(input[index])
            }
            table.update(from: predictor.probabilities, oddFrequencies: true)
            let next = coder.child(interval, table, Int(input[span.bytes.upperBound]))
            if coder.fits(next) { stepBacks += 1 }  // allowed only when the encoder had to step back
        }
        print("windows that stepped back: \(stepBacks) of \(spans.count)")
        #expect(stepBacks * 20 <= spans.count, "\(stepBacks) of \(spans.count) windows stepped back")
    }

    @Test func uniformModelPutsAboutBitsOverEightBytesInAWindow() throws {
        for window in [16, 24, 32] {
            let precision = window == 32 ? 17 : 16
            let input = randomBytes(3000, seed: UInt64(window))
            let codec = fakeCodec(window: window, precision: precision) { UniformPredictor() }
            let encoded = try codec.encode(input)
            let bytesPerWindow = Double(input.count) / Double(encoded.symbols.count)
            #expect(bytesPerWindow <= Double(window) / 8 + 0.01)
            #expect(bytesPerWindow >= Double(window) / 8 - 1.01)
        }
    }

    @Test func refusesImpossibleGeometries() {
        #expect(EqualInfoWindowCoder.validate(bits: 8, precision: 16) != nil)
        #expect(EqualInfoWindowCoder.validate(bits: 15, precision: 16) != nil)
        #expect(EqualInfoWindowCoder.validate(bits: 32, precision: 16) != nil)
        #expect(EqualInfoWindowCoder.validate(bits: 16, precision: 16) == nil)
    }

    @Test func quantizationKeepsEveryByteCodableAndSumsExactly() {
        for odd in [false, true] {
            for weights in [
                [Float](repeating: 0, count: 256), [Float](repeating: .nan, count: 256),
                (0..<256).map { $0 == 3 ? Float(1) : 0 }, (0..<256).map { Float($0) },
            ] {
                var table = FrequencyTable(precision: 16)
                table.update(from: weights, oddFrequencies: odd)
                #expect(table.cumulative[256] == 1 << 16)
                for b in 0..<256 {
                    #expect(table.frequency(b) >= 1)
                    if odd { #expect(table.frequency(b) % 2 == 1) }
                }
            }
        }
    }

    @Test func entropySegmentationRoundTripsAndUsesTheCache() throws {
        let segmentation = ACCodingSettings.Segmentation.entropy(maxBits: 1, jumpRatio: 2, minimumBytes: 21)
        let block = Array("import os\nimport sys\n".utf8)
        let input = block + randomBytes(504, seed: 4, below: 30) + block + block
        for context in [ACCodingSettings.ContextPolicy.window, .segment] {
            let codec = fakeCodec(window: 16, precision: 16, context: context, rawTails: true, segmentation: segmentation) {
                SkewedPredictor()
            }
            let first = try codec.encode(input)
            let second = try codec.encode(input)
            #expect(first == second)
            #expect(try codec.decode(first.symbols, maxOutputBytes: input.count) == input)
            #expect((codec.cache?.hits ?? 0) > 0)
        }
    }

    @Test func decodeBoundAndCorruptStreamsThrowAndNeverHang() throws {
        let input = randomBytes(2000, seed: 12, below: 50)
        for window in [0, 16] {
            let codec = fakeCodec(window: window, precision: 16) { SkewedPredictor() }
            let encoded = try codec.encode(input)
            let error = #expect(throws: CodecError.self) { try codec.decode(encoded.symbols, maxOutputBytes: input.count - 1) }
            #expect(error?.kind == .outputLimitExceeded)
            var generator = SplitMix64(seed: 99)
            for trial in 0..<60 {
                var damaged = encoded.symbols
                switch trial % 3 {
                case 0: damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &generator)))
                case 1:
                    let index = Int.random(in: 0..<damaged.count, using: &generator)
                    damaged[index] ^= 1 << UInt32.random(in: 0..<(window == 0 ? 8 : 16), using: &generator)
                default: damaged.append(UInt32.random(in: 0..<256, using: &generator))
                }
                do {
                    let output = try codec.decode(damaged, maxOutputBytes: input.count * 2)
                    #expect(output.count <= input.count * 2)
                } catch {
                    #expect(!error.message.isEmpty)
                }
            }
        }
        // Plain AC notices trailing data and a truncated length header.
        let codec = fakeCodec(window: 0, precision: 16) { SkewedPredictor() }
        let encoded = try codec.encode(input)
        #expect(throws: CodecError.self) {
            try codec.decode(encoded.symbols + [7, 7, 7, 7, 7, 7, 7, 7, 7, 7], maxOutputBytes: 1 << 20)
        }
        #expect(throws: CodecError.self) { try codec.decode([0x80], maxOutputBytes: 1 << 20) }
        #expect(throws: CodecError.self) { try codec.decode([300], maxOutputBytes: 1 << 20) }
    }
}
