import Builtins
import Foundation
import Pipelines
import ProxyTrainer
import Reports
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// The robust stage and screening, run in-process on the small corpus with tiny models.
@Suite(.serialized) struct RobustnessAndScreeningTests {
    func run(_ specs: [String], stages: [CompareStage]) throws -> ComparisonResults {
        let directory = try TestEnvironment.temporaryDirectory(prefix: "robust")
        let plan = try ComparisonTests.plan(
            corpus: try ComparisonTests.corpus(), directory: directory, stages: stages, specs: specs)
        return try Comparison(
            plan: plan, registry: Builtins.registry, measure: MeasuringChild.inProcess(registry: Builtins.registry)
        )
        .run().results
    }

    @Test func robustnessDeltasAreFiniteAndReproducible() throws {
        let first = try run(["nibbles"], stages: [.rate, .train, .robust])
        let second = try run(["nibbles"], stages: [.rate, .train, .robust])
        let baseline = try #require(first.baseline?.robustness)
        let proxy = try #require(first.compressors.first?.proxy?.robustness)
        #expect(Set(baseline.keys) == Set(RobustnessPerturbation.allCases.map(\.rawValue)))
        for (name, record) in baseline.merging(proxy, uniquingKeysWith: { a, _ in a }) {
            #expect(record.delta.isFinite && record.deltas.count == 2, "\(name)")
        }
        #expect(baseline.values.allSatisfy { $0.vsBytes == nil })
        #expect(proxy.values.allSatisfy { $0.vsBytes?.isFinite == true })
        // The same seeds on the same machine and build: bit-identical training and scores.
        #expect(
            first.baseline?.runs == second.baseline?.runs
                && first.compressors.first?.proxy?.runs == second.compressors.first?.proxy?.runs)
        #expect(first.baseline?.robustness == second.baseline?.robustness)
        #expect(first.compressors.first?.proxy?.robustness == second.compressors.first?.proxy?.robustness)
    }

    @Test func screeningNeedsFourTrainedCompressors() throws {
        let three = try run(["bytes", "nibbles", "dibits"], stages: [.rate, .stats, .train])
        #expect(three.screening == nil)
        #expect(three.screeningNote?.contains("at least 4 trained compressors") == true)
        let markdown = RunReportsProbe.markdown(three)
        #expect(markdown.contains("## Screening") && markdown.contains("Not computed: screening needs at least 4"))

        let four = try run(["bytes", "nibbles", "dibits", "bytepairs"], stages: [.rate, .stats, .train])
        let screening = try #require(four.screening)
        #expect(!screening.isEmpty && four.screeningNote == nil)
        let bytesPerSymbol = try #require(screening.first { $0.statistic == "bytes_per_symbol" })
        #expect(bytesPerSymbol.correlation.n == 4 && bytesPerSymbol.correlation.exact)
        #expect(bytesPerSymbol.points.map(\.spec).sorted() == ["bytepairs", "bytes", "dibits", "nibbles"])
        // Sorted by |rho|, largest first.
        let magnitudes = screening.map { abs($0.correlation.rho ?? 0) }
        #expect(magnitudes == magnitudes.sorted(by: >))
    }
}

/// The Markdown of a results value (through the public report entry point).
enum RunReportsProbe {
    static func markdown(_ results: ComparisonResults) -> String {
        RunReports.render(results).first { $0.file == "report.md" }?.text ?? ""
    }
}
