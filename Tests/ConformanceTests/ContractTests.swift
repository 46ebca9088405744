import Builtins
import Conformance
import ExternalPluginHost
import Foundation
import Testing
import WorkbenchCore

/// The contract every registered compressor must keep (STYLE.md), run on every row of the
/// Builtins table and every external plugin in plugins/external, with default options and each
/// of a row's `conformanceOptions`. The cases are `Conformance.ConformanceSuite`'s, the same that
/// `workbench plugins check` runs; a new plugin gets them by existing, and nothing here names a
/// plugin.
@Suite struct ContractTests {
    /// Built-in rows plus the shipped external plugins.
    static let registry: CompressorRegistry = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let external =
            (try? ExternalPlugins.discover(in: [ExternalPlugins.defaultDirectory(repositoryRoot: root.path)], skipMissing: true))
            ?? []
        return (try? ExternalPlugins.registry(Builtins.registry, adding: external)) ?? Builtins.registry
    }()

    /// Every (id, options) configuration the registry asks to be checked.
    static let configurations: [CompressorSpec] = registry.entries.flatMap { entry in
        [CompressorSpec(id: entry.id)] + entry.conformanceOptions.map { CompressorSpec(id: entry.id, options: $0) }
    }

    /// A small training set from the shipped corpus, for compressors that train (dictionaries, BPE).
    static let context: CompressorBuildContext = {
        let training = ShippedSample.documents(split: .train, count: 40)
        return CompressorBuildContext(trainingDocuments: { training }, trainingCorpusKey: nil, artifactCacheDirectory: nil)
    }()

    static func subject(_ spec: CompressorSpec) -> ConformanceSubject {
        ConformanceSubject(spec: spec, sampleDocuments: ShippedSample.documents(split: .valid, count: 8)) {
            try registry.makeCompressor(spec, context: context)
        }
    }

    @Test func externalPluginsAreIncluded() {
        #expect(Self.registry.ids.contains("xz-python") && Self.registry.ids.contains("rle-c"))
    }

    /// Every case but the damaged streams, one configuration per test (cases run in order, so
    /// a loaded machine queues 30 tests, not 240).
    @Test(arguments: configurations)
    func keepsTheContract(_ spec: CompressorSpec) {
        let subject = Self.subject(spec)
        for conformanceCase in ConformanceSuite.cases where conformanceCase.name != ConformanceSuite.damagedStreams.name {
            for failure in conformanceCase.run(on: subject).failures {
                Issue.record("\(spec), \(conformanceCase.name): \(failure)")
            }
        }
    }

    /// Damaged streams must never hang: under a time limit of its own.
    @Test(.timeLimit(.minutes(2)), arguments: configurations)
    func survivesDamagedStreams(_ spec: CompressorSpec) {
        for failure in ConformanceSuite.damagedStreams.run(on: Self.subject(spec)).failures {
            Issue.record("\(spec), \(ConformanceSuite.damagedStreams.name): \(failure)")
        }
    }
}

extension CompressorSpec: CustomTestStringConvertible {
    public var testDescription: String { description }
}
