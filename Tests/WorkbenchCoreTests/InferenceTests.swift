import Foundation
import Testing
import WorkbenchCore

/// Intervals and fits behind the downstream numbers, against answers known in advance.
@Suite struct InferenceTests {
    @Test func studentQuantilesMatchTheTables() {
        // Two-sided 95% critical values from any t table.
        for (df, expected) in [(1.0, 12.706), (2.0, 4.303), (4.0, 2.776), (10.0, 2.228), (30.0, 2.042), (1000.0, 1.962)] {
            #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: df) - expected) < 0.0005, "df \(df)")
        }
        #expect(abs(StudentT.cdf(0, degreesOfFreedom: 3) - 0.5) < 1e-12)
        #expect(abs(StudentT.quantile(0.025, degreesOfFreedom: 5) + StudentT.quantile(0.975, degreesOfFreedom: 5)) < 1e-9)
    }

    @Test func theTIntervalOfATextbookSample() throws {
        // Student's (1908) sleep data, drug B minus drug A, 10 patients: mean 1.58, sd 1.2300,
        // 95% interval 0.7001 to 2.4599 (R: t.test(extra ~ group, paired = TRUE)).
        let differences = [1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4]
        let summary = try #require(SampleSummary(differences))
        #expect(summary.count == 10)
        #expect(abs(summary.mean - 1.58) < 1e-12)
        #expect(abs((summary.standardDeviation ?? 0) - 1.229995) < 1e-5)
        let interval = try #require(summary.confidenceInterval95)
        #expect(abs(interval.lower - 0.7001142) < 1e-5 && abs(interval.upper - 2.4598858) < 1e-5)
        #expect(!summary.intervalContainsZero)
        #expect(SampleSummary([3.2])?.confidenceInterval95 == nil)
        #expect(SampleSummary([]) == nil && SampleSummary([1, .nan]) == nil)
    }

    @Test func aPowerLawIsRecoveredExactly() throws {
        let points = [1e11, 1e12, 1e13].map { (compute: $0, loss: 50 * pow($0, -0.1)) }
        let fit = try #require(PowerLawFit(points))
        #expect(abs(fit.a - 50) < 1e-9 * 50 && abs(fit.alpha - 0.1) < 1e-12 && fit.residual < 1e-12)
        #expect(PowerLawFit([(1e12, 3), (1e12, 4)]) == nil)
    }

    @Test func linesCrossWhereTheAlgebraSays() throws {
        // Proxy 40 C^-0.1 starts higher and falls faster than bytes 8 C^-0.06: they meet at C = 5^(1/0.04).
        let proxy = try #require(PowerLawFit([1e11, 1e12].map { (compute: $0, loss: 40 * pow($0, -0.1)) }))
        let bytes = try #require(PowerLawFit([1e11, 1e12].map { (compute: $0, loss: 8 * pow($0, -0.06)) }))
        let expected = pow(5.0, 25.0)
        let crossing = try #require(proxy.crossover(with: bytes, above: 1e11))
        #expect(abs(crossing / expected - 1) < 1e-9)
        // Diverging lines (bytes falls faster) met in the past: no crossover.
        #expect(bytes.crossover(with: proxy, above: 1e11) != nil)
        let steeperBytes = try #require(PowerLawFit([1e11, 1e12].map { (compute: $0, loss: 8 * pow($0, -0.2)) }))
        #expect(proxy.crossover(with: steeperBytes, above: 1e11) == nil)
        #expect(proxy.crossover(with: proxy, above: 1e11) == nil)
    }

    @Test func theBootstrapIntervalHoldsTheEstimateAndIsReproducible() throws {
        var proxy = SeedRuns()
        var bytes = SeedRuns()
        for (index, budget) in [1e11, 4e11, 1.6e12].enumerated() {
            for seed in UInt64(0)..<4 {
                let noise = 0.01 * Double((Int(seed) * 7 + index * 3) % 5 - 2)
                proxy.losses[budget, default: [:]][seed] = 40 * pow(budget, -0.1) + noise
                bytes.losses[budget, default: [:]][seed] = 8 * pow(budget, -0.06) + noise
            }
        }
        let estimate = try #require(CrossoverEstimate(proxy: proxy, baseline: bytes, resamples: 500, seed: 1))
        let interval = try #require(estimate.confidenceInterval95)
        #expect(interval.lower <= estimate.estimate && estimate.estimate <= interval.upper)
        #expect(estimate.definedShare > 0.9)
        #expect(CrossoverEstimate(proxy: proxy, baseline: bytes, resamples: 500, seed: 1) == estimate)
        let paired = try #require(proxy.pairedDifference(from: bytes, atBudget: 1e11))
        #expect(paired.count == 4 && (paired.standardDeviation ?? 1) < 1e-9)
    }
}
