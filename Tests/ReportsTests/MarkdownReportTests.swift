import Testing
import WorkbenchCore
import WorkbenchTestSupport

@testable import Reports

/// Hand-made results with one row of every kind, so the golden report shows each rendering path.
enum SampleResults {
    static let value: ComparisonResults = {
        var results = plain
        results.stages = StagesRecord(ran: ["rate", "stats"], stabilitySeed: 7, stabilityDocuments: 2, stabilityMaxBytes: 100)
        results.compressors[0].symbolUsage = SymbolUsage(encodings: [[0, 1, 1, 2]], alphabetSize: 256)
        let document = Array("ab x ab\nab\t".utf8)
        let encoded = EncodedDocument(
            symbols: [5, 9, 5, 5],
            spans: [
                SymbolSpan(symbols: 0..<1, bytes: 0..<3), SymbolSpan(symbols: 1..<2, bytes: 3..<5),
                SymbolSpan(symbols: 2..<3, bytes: 5..<8), SymbolSpan(symbols: 3..<4, bytes: 8..<11),
            ])
        results.compressors[0].collisions = CollisionStatistics(documents: [document], encodings: [encoded])
        results.compressors[0].stability = [
            "delete_10_percent": Stability.Summary([0.1, 0.2]), "insert_space": Stability.Summary([0, 0.01]),
        ]
        return results
    }()

    static let plain = ComparisonResults(
        createdAt: "2026-01-02T03:04:05Z",
        corpus: CorpusRecord(
            name: "sample", path: "corpora/sample.jsonl", sha256: String(repeating: "ab", count: 32), split: "valid",
            splitRule: CorpusSplit.ruleDescription, documents: 3, bytes: 1000, skippedBadLines: 1),
        compressors: [
            CompressorResult(
                id: "bytes", spec: CompressorSpec(id: "bytes"),
                descriptor: CompressorDescriptor(id: "bytes", displayName: "Raw bytes", alphabetSize: 256, givesSpans: true),
                status: .ok, rate: RateRecord(rawBytes: 1000, symbols: 1000, alphabetSize: 256, serializedBytes: 1000),
                roundTrip: RoundTripRecord(documents: 3, failures: 0, firstFailure: nil),
                speed: SpeedRecord(rawBytes: 1000, encodeSeconds: [0.001, 0.002, 0.003], decodeSeconds: [0.0005, 0.0005, 0.001])),
            CompressorResult(
                id: "zstd", spec: CompressorSpec(id: "zstd", options: ["level": "19"]),
                descriptor: CompressorDescriptor(
                    id: "zstd", displayName: "Zstandard", libraryName: "libzstd", libraryVersion: "1.5.4",
                    options: ["level": "19"], alphabetSize: 256),
                status: .ok, rate: RateRecord(rawBytes: 1000, symbols: 250, alphabetSize: 256, serializedBytes: 250),
                roundTrip: RoundTripRecord(documents: 3, failures: 0, firstFailure: nil),
                speed: SpeedRecord(rawBytes: 1000, encodeSeconds: [0.01, 0.01, 0.01], decodeSeconds: [0.001, 0.001, 0.001])),
            CompressorResult(
                id: "lossy", spec: CompressorSpec(id: "lossy"),
                descriptor: CompressorDescriptor(
                    id: "lossy", displayName: "Lossy", alphabetSize: 4096, passesRawBytesThrough: true),
                status: .failed,
                error: "round trip failed on 1 of 3 documents; first: d2: decoded bytes differ from the original",
                rate: RateRecord(rawBytes: 1000, symbols: 300, alphabetSize: 4096, serializedBytes: 450),
                roundTrip: RoundTripRecord(documents: 3, failures: 1, firstFailure: "d2: decoded bytes differ from the original"),
                speed: SpeedRecord(rawBytes: 1000, encodeSeconds: [0.02], decodeSeconds: [0.02])),
            CompressorResult(
                id: "ac", spec: CompressorSpec(id: "ac"), descriptor: nil, status: .failed, error: "ac: model not found"),
        ])
}

@Suite struct MarkdownReportTests {
    @Test func matchesTheGoldenReport() throws {
        try GoldenFile.check(MarkdownReport.render(SampleResults.value), named: "report.md")
    }

    @Test func withTrainingHasTheProxySection() throws {
        let markdown = MarkdownReport.render(HTMLAndCSVReportTests.withTraining)
        try GoldenFile.check(markdown, named: "report-with-training.md")
        #expect(markdown.contains("## Proxy training"))
        #expect(markdown.contains("| 4.250 [4.100, 4.400] | +0.550 [+0.400, +0.700] |"))
        #expect(markdown.contains("| *bytes only (baseline)* | – | 0.00 | sentinel | 100 | 6e+13 | 3.700 [3.600, 3.800] | – |"))
        #expect(markdown.contains("**Summary.** Raw bits per byte at 6e+13 FLOPs (mean over 3 seeds"))
        #expect(markdown.contains("zstd is undertrained"))
        #expect(markdown.contains("### Compute sweep"))
        #expect(markdown.contains("## Robustness") && markdown.contains("+0.3100 [+0.2000, +0.4200] (-0.0500)"))
        #expect(markdown.contains("a sample of at most 32 KiB of the evaluation split"))
        #expect(markdown.contains("Not computed: screening needs at least 4 trained compressors"))
    }

    @Test func isAPureFunctionOfTheResults() {
        #expect(MarkdownReport.render(SampleResults.value) == MarkdownReport.render(SampleResults.value))
    }
}

@Suite struct HTMLAndCSVReportTests {
    /// The sample with a baseline and a proxy curve, so every chart has data.
    static let withTraining: ComparisonResults = {
        var results = SampleResults.value
        results.baseline = ProxyRecord(
            rawBitsPerByte: 3.7, rate: 0, mode: "sentinel", steps: 100, flops: 6e13,
            curve: [
                .init(flops: 6e11, rawBitsPerByte: 7.9), .init(flops: 6e12, rawBitsPerByte: 5.2),
                .init(flops: 6e13, rawBitsPerByte: 3.7),
            ],
            runDirectory: "train/bytes", tokensPerSecond: 5000)
        results.baseline?.seeds = [0, 1, 2]
        results.baseline?.rawBitsPerByteCI95 = ClosedInterval(lower: 3.6, upper: 3.8)
        results.baseline?.rawBitsPerByteSD = 0.04
        results.baseline?.undertrained = false
        results.baseline?.runs = []
        results.baseline?.sweep = [
            .init(budgetFLOPs: 1.5e13, steps: 25, mean: 5.0, sd: 0.1, ci95: ClosedInterval(lower: 4.75, upper: 5.25)),
            .init(budgetFLOPs: 6e13, steps: 100, mean: 3.7, sd: 0.04, ci95: ClosedInterval(lower: 3.6, upper: 3.8)),
        ]
        results.baseline?.fit = PowerLawFit([(1.5e13, 5.0), (6e13, 3.7)])
        var proxy = ProxyRecord(
            rawBitsPerByte: 4.25, rate: 0.9, mode: "sentinel", steps: 100, flops: 6e13,
            curve: [.init(flops: 6e11, rawBitsPerByte: 8.1), .init(flops: 6e13, rawBitsPerByte: 4.25)],
            runDirectory: "train/zstd", tokensPerSecond: 5000)
        proxy.seeds = [0, 1, 2]
        proxy.rawBitsPerByteCI95 = ClosedInterval(lower: 4.1, upper: 4.4)
        proxy.rawBitsPerByteSD = 0.06
        proxy.compressedView = "ids"
        proxy.compressedViewReason = "alphabet of 256: one token per symbol"
        proxy.undertrained = true
        proxy.undertrainedReason = "25 steps at 1.5e+13 FLOPs, fewer than --min-steps 100; try a budget of 6e+13 FLOPs"
        proxy.runs = []
        proxy.sweep = [
            .init(budgetFLOPs: 1.5e13, steps: 25, mean: 6.5, sd: 0.2, ci95: ClosedInterval(lower: 6.0, upper: 7.0)),
            .init(budgetFLOPs: 6e13, steps: 100, mean: 4.25, sd: 0.06, ci95: ClosedInterval(lower: 4.1, upper: 4.4)),
        ]
        proxy.fit = PowerLawFit([(1.5e13, 6.5), (6e13, 4.25)])
        proxy.vsBaseline = .init(difference: 0.55, sd: 0.06, ci95: ClosedInterval(lower: 0.4, upper: 0.7), seeds: 3)
        proxy.crossoverFLOPs = nil
        proxy.robustness = [
            "insert_space": RobustnessRecord(
                delta: 0.002, ci95: ClosedInterval(lower: -0.001, upper: 0.005), vsBytes: 0.001, vsBytesCI95: nil,
                deltas: [0.001, 0.002, 0.003]),
            "crlf_line_endings": RobustnessRecord(
                delta: 0.31, ci95: ClosedInterval(lower: 0.2, upper: 0.42), vsBytes: -0.05, vsBytesCI95: nil,
                deltas: [0.3, 0.31, 0.32]),
        ]
        results.baseline?.robustness = [
            "crlf_line_endings": RobustnessRecord(
                delta: 0.36, ci95: ClosedInterval(lower: 0.3, upper: 0.42), vsBytes: nil, vsBytesCI95: nil,
                deltas: [0.35, 0.36, 0.37])
        ]
        results.compressors[1].proxy = proxy
        results.screeningNote =
            "screening needs at least 4 trained compressors with a bytes-only baseline; this comparison trained 1"
        results.config = .object([
            "compressors": .array([.string("bytes"), .string("zstd")]), "seed": .number(0),
            "robust_sample_bytes": .number(32768),
        ])
        results.environment = .object(["cpu_model": .string("AMD <EPYC> & co"), "logical_cores": .number(2)])
        return results
    }()

    @Test func htmlMatchesTheGoldenPage() throws {
        try GoldenFile.check(HTMLReport.render(Self.withTraining), named: "report.html")
    }

    @Test func htmlIsSelfContainedAndEscaped() {
        let html = HTMLReport.render(Self.withTraining)
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("AMD &lt;EPYC&gt; &amp; co"))
        // model bars with intervals, sweep, rate, curves, stability, collisions
        #expect(html.components(separatedBy: "<svg").count - 1 == 6)
        #expect(html.contains("1.149x"))  // 4.25 / 3.7, the proxy's ratio to bytes only
        #expect(html.contains("<span class=\"badge\""))
    }

    @Test func csvMatchesTheGoldenTable() throws {
        try GoldenFile.check(CSVReport.render(Self.withTraining), named: "results.csv")
        #expect(CSVReport.quote("a,\"b\"") == "\"a,\"\"b\"\"\"")
    }
}
