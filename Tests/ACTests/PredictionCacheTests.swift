import Testing
import WorkbenchCore

@testable import ACPlugin

@Suite struct PredictionCacheTests {
    /// A predictor with the cache returns the model's own probabilities, bit for bit, through
    /// resets, windows of every length, rewinds and contexts longer than the capacity.
    @Test func cachedPredictionsAreTheModelsBitForBit() throws {
        let (_, model) = try #require(TinyModel.trained)
        let cache = PredictionCache(maximumDepth: 6)
        let plain = try M1Predictor(model: model, compressor: "ac")
        let cached = try M1Predictor(model: model, compressor: "ac", cache: cache)
        let text = Array(TinyModel.documents(.valid, 1)[0].prefix(600))
        var generator = SplitMix64(seed: 4)
        var steps = 0
        for _ in 0..<2 {  // the second pass meets the first pass's contexts again
            var position = 0
            while position < text.count {
                try plain.reset()
                try cached.reset()
                #expect(cached.probabilities == plain.probabilities)
                let length = Int.random(in: 1...9, using: &generator)
                for byte in text[position..<min(position + length, text.count)] {
                    try plain.append(byte)
                    try cached.append(byte)
                    #expect(cached.probabilities == plain.probabilities, "after \(steps) steps")
                    steps += 1
                }
                if length > 4 {
                    try plain.removeLast(2)
                    try cached.removeLast(2)
                    #expect(cached.probabilities == plain.probabilities, "after a rewind at \(steps)")
                }
                position += length
            }
        }
        #expect(cache.hits > cache.misses)
        // One long context: past the capacity the session re-seeds, the same way in both.
        try plain.reset()
        try cached.reset()
        for byte in text + text {
            try plain.append(byte)
            try cached.append(byte)
        }
        #expect(cached.probabilities == plain.probabilities)
    }

    @Test func streamsDoNotDependOnWhatTheCacheHolds() throws {
        let documents = TinyModel.documents(.valid, 3).map { Array($0.prefix(1200)) }
        let warm = try TinyModel.compressor(["window": "16"])
        for document in documents { _ = try warm.encode(document) }  // fills its cache
        for document in documents {
            let cold = try TinyModel.compressor(["window": "16"])
            let encoded = try warm.encode(document)
            #expect(try cold.encode(document) == encoded)
            #expect(try TinyModel.compressor(["window": "16"]).decode(encoded, maxOutputBytes: document.count) == document)
            #expect(try warm.decode(encoded, maxOutputBytes: document.count) == document)
        }
    }
}
