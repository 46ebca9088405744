import Testing
import WorkbenchCore

/// Spearman's rho and its exact permutation p-value against SciPy 1.17 on small examples, ties
/// included (reference: `scipy.stats.spearmanr`, and the share of all n! pairings of the ranks
/// with |rho| at least the observed one).
@Suite struct RankCorrelationTests {
    @Test func averageRanksForTies() {
        #expect(RankCorrelation.ranks([3, 1, 4, 1, 5, 9, 2, 6]) == [4, 1.5, 5, 1.5, 6, 8, 3, 7])
    }

    @Test(arguments: [
        ([1.0, 2, 3, 4, 5], [5.0, 6, 7, 8, 7], 0.8207826816681233, 0.13333333333333333),
        ([10.0, 20, 30, 40, 50, 60], [1.0, 3, 2, 5, 4, 6], 0.8857142857142858, 0.03333333333333333),
        ([1.0, 2, 2, 3, 4, 5, 6], [2.0, 1, 4, 3, 3, 6, 5], 0.7454545454545455, 0.061507936507936505),
    ])
    func matchesSciPy(x: [Double], y: [Double], rho: Double, p: Double) throws {
        let result = RankCorrelation(x: x, y: y, resamples: 500, seed: 3)
        #expect(abs(try #require(result.rho) - rho) < 1e-12)
        #expect(abs(try #require(result.pValue) - p) < 1e-12)
        #expect(result.exact && result.n == x.count)
        let interval = try #require(result.confidenceInterval95)
        #expect(interval.lower <= rho + 1e-9 && interval.upper >= -1 && interval.upper <= 1)
    }

    @Test func aConstantSideHasNoCorrelation() {
        let result = RankCorrelation(x: [1, 2, 3, 4], y: [5, 5, 5, 5])
        #expect(result.rho == nil && result.pValue == nil)
    }

    @Test func largerSamplesEstimateThePValueReproducibly() throws {
        let x = (0..<12).map(Double.init), y = x.map { $0 * 0.5 + Double(Int($0) % 3) }
        let first = RankCorrelation(x: x, y: y, permutations: 5000, seed: 1)
        #expect(!first.exact && (first.pValue ?? 1) < 0.01)
        #expect(first == RankCorrelation(x: x, y: y, permutations: 5000, seed: 1))
    }
}
