import Testing

@testable import Reports

@Suite struct ReportLabelTests {
    @Test func longDigestsAreCutAndEverythingElseKept() {
        let hash = String(repeating: "a07f162fb383", count: 5) + "abcd"
        #expect(
            ReportLabel.spec("ac:context=window,model_hash=\(hash),window=16")
                == "ac:context=window,model_hash=a07f162fb383…,window=16")
        #expect(ReportLabel.spec("zstd:level=19") == "zstd:level=19")
        #expect(ReportLabel.spec("bytes") == "bytes")
        #expect(
            ReportLabel.spec("bpe:tokenizer=/data/deadbeefdeadbeefdeadbeefdeadbeef.json")
                == "bpe:tokenizer=/data/deadbeefdeadbeefdeadbeefdeadbeef.json")
    }

    @Test func speedsKeepThreeSignificantDigits() {
        #expect(ReportLabel.speed(835.31) == "835")
        #expect(ReportLabel.speed(97.04) == "97.0")
        #expect(ReportLabel.speed(4.4507) == "4.45")
        #expect(ReportLabel.speed(0.11978) == "0.120")
        #expect(ReportLabel.speed(nil) == "–")
    }
}
