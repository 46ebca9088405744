import ArgumentParser
import Conformance
import Foundation
import WorkbenchCore

/// `workbench plugins check ID`: the conformance cases the test suite runs, on any registered
/// compressor, built-in or external (a plugin kept outside the repository: add `--plugins-dir`).
struct PluginsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the conformance cases on a compressor (built-in or external).",
        discussion: """
            The same cases `swift test --filter ConformanceTests` runs on every registered compressor: fixed, \
            random and corpus inputs round-trip, determinism across calls, instances and threads, batches equal \
            single calls, the decode bound, symbols outside the alphabet, damaged streams. A bare id is checked \
            with its default options and with each option set its row asks for (conformance_options in a \
            plugin.json); a spec with options, with those alone. Compressors that train learn from the first 40 \
            documents of the corpus's train split; 8 documents of its valid split are the sample. Prints one line \
            per case and exits 1 if any fails.
            """)

    @Argument(help: ArgumentHelp("The compressor: an id (xz-python) or a spec (zstd:level=3).", valueName: "spec"))
    var compressorSpec: String

    @OptionGroup(title: "Corpus (training and sample documents)") var corpusArguments: CorpusArguments

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let registry = try BuiltinsRegistry.shared
        let spec = try CompressorSpec(parsing: compressorSpec)
        let entry = try registry.entry(for: spec.id)
        let specs =
            spec.options.isEmpty
            ? [spec] + entry.conformanceOptions.map { CompressorSpec(id: spec.id, options: $0) }
            : [spec]
        for checked in specs { _ = try ResolvedOptions(checked.options, specs: entry.options, compressor: checked.id) }
        let corpus = try corpusArguments.load()
        let training = Array(corpus.documents(in: .train).prefix(40).map(\.bytes))
        let sample = Array(corpus.documents(in: .valid).prefix(8).map(\.bytes))
        let context = CompressorBuildContext(trainingDocuments: { training }, trainingCorpusKey: nil, artifactCacheDirectory: nil)
        var failedCases = 0
        var totalCases = 0
        for checked in specs {
            let subject = ConformanceSubject(spec: checked, sampleDocuments: sample) {
                try registry.makeCompressor(checked, context: context)
            }
            // Build once up front, so a compressor that cannot be built says so once, not per case.
            let built = try subject.make()
            let library = [built.descriptor.libraryName, built.descriptor.libraryVersion].compactMap { $0 }.joined(separator: " ")
            print("\(built.descriptor.spec)\(library.isEmpty ? "" : " (\(library))")")
            for conformanceCase in ConformanceSuite.cases {
                let outcome = conformanceCase.run(on: subject)
                totalCases += 1
                let time = String(format: "%.2f s", outcome.seconds)
                print("  \(outcome.passed ? "ok  " : "FAIL")  \(outcome.caseName)  (\(time))")
                for failure in outcome.failures.prefix(10) {
                    print("        - " + failure.replacingOccurrences(of: "\n", with: "\n          "))
                }
                if outcome.failures.count > 10 { print("        ... and \(outcome.failures.count - 10) more") }
                if !outcome.passed { failedCases += 1 }
            }
        }
        print("\(spec.id): \(totalCases - failedCases) of \(totalCases) cases passed")
        if failedCases > 0 { throw ExitCode.failure }
    }
}
