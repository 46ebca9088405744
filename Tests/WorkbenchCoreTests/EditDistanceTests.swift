import Testing
import WorkbenchCore

@Suite struct EditDistanceTests {
    func symbols(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    @Test func knownDistances() {
        #expect(EditDistance.levenshtein(symbols("kitten"), symbols("sitting")) == 3)
        #expect(EditDistance.levenshtein(symbols(""), symbols("abc")) == 3)
        #expect(EditDistance.levenshtein(symbols("abc"), symbols("")) == 3)
        #expect(EditDistance.levenshtein(symbols("flaw"), symbols("lawn")) == 2)
        #expect(EditDistance.levenshtein([1, 2, 3], [1, 2, 3]) == 0)
        #expect(EditDistance.normalized([1, 2, 3, 4], [1, 2, 3]) == 0.25)
    }

    /// The bit-parallel algorithm agrees with the textbook DP across block boundaries (63, 64, 65,
    /// 128, 129 symbols) and alphabets from 2 to 100,000 symbols.
    @Test func agreesWithTheReferenceOnSeededRandomPairs() {
        let seed: UInt64 = 20_261_129
        print("EditDistance seed \(seed)")
        var generator = SplitMix64(seed: seed)
        for trial in 0..<300 {
            let alphabet = [2, 4, 30, 100_000][trial % 4]
            let lengthA = [0, 1, 63, 64, 65, 128, 129, 300][trial % 8] + Int.random(in: 0...2, using: &generator)
            let a = (0..<lengthA).map { _ in UInt32.random(in: 0..<UInt32(alphabet), using: &generator) }
            // b is a mutation of a, or unrelated, so both small and large distances occur.
            var b =
                trial % 3 == 0
                ? (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                    UInt32.random(in: 0..<UInt32(alphabet), using: &generator)
                } : a
            if trial % 3 != 0 {
                for _ in 0..<Int.random(in: 0...10, using: &generator) {
                    let position = Int.random(in: 0...b.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: b.insert(UInt32.random(in: 0..<UInt32(alphabet), using: &generator), at: position)
                    case 1: if position < b.count { b.remove(at: position) }
                    default: if position < b.count { b[position] = UInt32.random(in: 0..<UInt32(alphabet), using: &generator) }
                    }
                }
            }
            #expect(EditDistance.levenshtein(a, b) == EditDistance.referenceLevenshtein(a, b), "trial \(trial)")
        }
    }
}
