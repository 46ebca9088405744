import ArgumentParser
import Builtins
import Foundation
import Reports
import WorkbenchCore

/// `workbench compare`: the main job. Measures each compressor on one corpus split and writes a
/// run directory.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare compressors on a corpus split and write a run directory with results and a report.",
        discussion: """
            For each compressor: build it (training on the train split if it needs to), encode every document of \
            the split, check every symbol against its alphabet, decode every document and compare it with the \
            original, and time encode and decode (median of --passes passes, one thread). \
            Writes DIR/config.json, environment.json, results.json (schema workbench.results/1), report.md, \
            report.html (self-contained, inline SVG charts) and results.csv. \
            A compressor that fails becomes a failed row and the others go on; the exit code is then 1.
            Example: workbench compare --compressors bytes,gzip,zstd,brotli --compressor zstd:level=3
            """)

    @Option(help: ArgumentHelp("Comma list of compressor ids with default options, e.g. bytes,gzip,zstd.", valueName: "ids"))
    var compressors: String?

    @Option(name: .customLong("compressor"), help: ArgumentHelp("One compressor spec with options (repeatable), e.g. zstd:level=3.", valueName: "spec"))
    var compressorSpecs: [String] = []

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Which split to measure: train, valid, test or all.")
    var split: CorpusSplit = .valid

    @Option(name: .customLong("out"), help: ArgumentHelp("The run directory (default reports/run-<UTC time>).", valueName: "dir"))
    var outputDirectory: String?

    @Flag(help: "Replace a run already in the output directory.")
    var force = false

    @Option(help: "Timed passes over the split per compressor; the median is reported.")
    var passes: Int = 3

    @Option(help: ArgumentHelp(
        "Stages to run, comma separated: rate (encode, verify, time; always runs) and stats (symbol usage, collisions, stability).",
        valueName: "list"))
    var stages: String = "rate,stats"

    @Option(help: "Documents in the seeded stability sample (the same sample for every compressor).")
    var stabilityDocuments: Int = 16

    @Option(help: "Each stability document is cut to this many bytes.")
    var stabilityMaxBytes: Int = 8192

    @Option(help: "Seed of every random choice in the run (stability sample and perturbations).")
    var seed: UInt64 = 0

    func validate() throws {
        if compressors == nil && compressorSpecs.isEmpty {
            throw ValidationError("name at least one compressor with --compressors ids or --compressor spec")
        }
        if passes < 1 { throw ValidationError("--passes must be at least 1") }
        let names = stageList
        for name in names where CompareStage(rawValue: name) == nil {
            throw ValidationError("unknown stage '\(name)'; stages: \(CompareStage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard names.contains(CompareStage.rate.rawValue) else {
            throw ValidationError("--stages must include rate: every other stage reads its verified encodings")
        }
        if stabilityDocuments < 1 || stabilityMaxBytes < 1 {
            throw ValidationError("--stability-documents and --stability-max-bytes must be at least 1")
        }
    }

    private var stageList: [String] { stages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    private var runsStatistics: Bool { stageList.contains(CompareStage.stats.rawValue) }

    func run() throws {
        var specs = try compressors.map(CompressorRegistry.parseIDList) ?? []
        for text in compressorSpecs { specs.append(try CompressorSpec(parsing: text)) }
        // Fail on unknown ids and bad options before reading anything.
        for spec in specs {
            let entry = try Builtins.registry.entry(for: spec.id)
            _ = try ResolvedOptions(spec.options, specs: entry.options, compressor: spec.id)
        }

        let corpus = try corpusArguments.load()
        let documents = corpus.documents(in: split)
        guard !documents.isEmpty else {
            throw WorkbenchError(
                "the \(split.rawValue) split of '\(corpus.path)' is empty (\(corpus.documents.count) documents in all; \(CorpusSplit.ruleDescription)); use --split all or a larger corpus")
        }
        let runDirectory = RunDirectory(path: outputDirectory ?? defaultOutputDirectory())
        try runDirectory.prepare(force: force)
        let corpusRecord = CorpusRecord(
            name: corpus.name, path: corpus.path, sha256: corpus.sha256, split: split.rawValue,
            splitRule: CorpusSplit.ruleDescription, documents: documents.count,
            bytes: documents.reduce(0) { $0 + $1.bytes.count }, skippedBadLines: corpus.skippedLines.count)
        let config = CompareConfig(
            workbenchVersion: WorkbenchVersion.current, arguments: Array(CommandLine.arguments.dropFirst()),
            compressors: specs.map(\.description), corpus: corpus.path, split: split.rawValue, passes: passes,
            textField: corpusArguments.textField, skipBadLines: corpusArguments.skipBadLines, stages: stageList,
            seed: seed, stabilityDocuments: stabilityDocuments, stabilityMaxBytes: stabilityMaxBytes)
        try AtomicFile.writeJSON(config, to: runDirectory.file("config.json"))
        for skipped in corpus.skippedLines { log.warning("skipped \(skipped)") }
        log.info("\(corpus.name): \(documents.count) documents, \(corpusRecord.bytes) bytes in the \(split.rawValue) split")

        let context = TrainingContext.make(corpus, runDirectory: runDirectory)
        let progress = ProgressReporter()
        let stability = runsStatistics ? StabilityInputs(documents: documents, count: stabilityDocuments, maxBytes: stabilityMaxBytes, seed: seed) : nil
        var rows: [CompressorResult] = []
        for spec in specs {
            rows.append(measure(spec, documents: documents, context: context, stability: stability, progress: progress))
        }

        let libraries = Dictionary(
            rows.compactMap { row in
                row.descriptor.flatMap { d in d.libraryName.map { ($0, d.libraryVersion ?? "unknown") } }
            }, uniquingKeysWith: { first, _ in first })
        let environment = RunEnvironment.current(libraries: libraries, threadsUsed: 1, seeds: ["run": seed])
        try AtomicFile.writeJSON(environment, to: runDirectory.file("environment.json"))
        let stagesRecord = StagesRecord(
            ran: stageList, stabilitySeed: stability.map { _ in seed }, stabilityDocuments: stability?.sample.count,
            stabilityMaxBytes: stability.map { _ in stabilityMaxBytes })
        var results = ComparisonResults(
            createdAt: Timestamp.iso8601(Date()), corpus: corpusRecord, stages: stagesRecord, compressors: rows)
        results.config = try? JSONValue(encoding: config)
        results.environment = try? JSONValue(encoding: environment)
        // Reports first, results.json last: a results.json that exists belongs to a finished run.
        try RunReports.write(results, into: runDirectory)
        try AtomicFile.writeJSON(results, to: runDirectory.file("results.json"))
        print(runDirectory.file("report.md"))
        let failed = rows.filter { $0.status == .failed }
        if !failed.isEmpty {
            throw WorkbenchError("\(failed.count) of \(rows.count) compressors failed: \(failed.map(\.spec).joined(separator: ", ")); see \(runDirectory.file("report.md"))")
        }
    }

    private func measure(
        _ spec: CompressorSpec, documents: [CorpusDocument], context: CompressorBuildContext,
        stability: StabilityInputs?, progress: ProgressReporter
    ) -> CompressorResult {
        var compressor: (any Compressor)?
        do {
            progress.begin("\(spec.id): build")
            let built = try Builtins.registry.makeCompressor(spec, context: context)
            compressor = built
            progress.begin("\(built.descriptor.spec): encode, verify, time")
            let outcome = try RateMeasurement(passes: passes) { done, total in progress.update(done, of: total) }
                .run(built, on: documents)
            let failed = outcome.roundTrip.failures > 0
            progress.end(
                failed
                    ? "ROUND TRIP FAILED on \(outcome.roundTrip.failures) documents"
                    : String(
                        format: "%.3f bytes/symbol, %.1f MB/s encode, %.1f MB/s decode",
                        outcome.rate.bytesPerSymbol ?? 0, outcome.speed.encodeMBPerSecond, outcome.speed.decodeMBPerSecond))
            var row = CompressorResult(
                id: spec.id, spec: built.descriptor.spec.description, descriptor: built.descriptor,
                status: failed ? .failed : .ok,
                error: failed ? "round trip failed on \(outcome.roundTrip.failures) of \(outcome.roundTrip.documents) documents; first: \(outcome.roundTrip.firstFailure ?? "?")" : nil,
                rate: outcome.rate, roundTrip: outcome.roundTrip, speed: outcome.speed)
            if let stability, !failed {
                progress.begin("\(built.descriptor.spec): statistics")
                row.symbolUsage = SymbolUsage(encodings: outcome.encodings.map(\.symbols), alphabetSize: built.descriptor.alphabetSize)
                if built.descriptor.givesSpans {
                    row.collisions = CollisionStatistics(documents: documents.map(\.bytes), encodings: outcome.encodings)
                }
                let summaries = try Stability.measure(built, sample: stability.sample, perturbed: stability.perturbed)
                row.stability = Dictionary(uniqueKeysWithValues: summaries.map { ($0.key.rawValue, $0.value) })
                progress.end(
                    String(
                        format: "entropy %.2f bits/symbol, stability (delete 10%%) %.3f",
                        row.symbolUsage?.entropyBits ?? 0, summaries[.deleteTenPercent]?.mean ?? 0))
            }
            return row
        } catch {
            progress.end("FAILED: \(error)")
            return CompressorResult(
                id: spec.id, spec: compressor?.descriptor.spec.description ?? spec.description,
                descriptor: compressor?.descriptor, status: .failed, error: "\(error)")
        }
    }

    private func defaultOutputDirectory() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "reports/run-\(formatter.string(from: Date()))"
    }
}

/// The stages `compare` knows.
enum CompareStage: String, CaseIterable {
    case rate, stats
}

/// The stability sample and its perturbed copies, made once so every compressor sees the same.
struct StabilityInputs {
    let sample: [[UInt8]]
    let perturbed: [Perturbation: [[UInt8]]]

    init(documents: [CorpusDocument], count: Int, maxBytes: Int, seed: UInt64) {
        sample = Stability.sample(documents.map(\.bytes), count: count, maxBytes: maxBytes, seed: seed)
        perturbed = Stability.perturbations(of: sample, seed: seed)
    }
}

/// `config.json` of a comparison: everything needed to run it again.
struct CompareConfig: Codable {
    var workbenchVersion: String
    var arguments: [String]
    var compressors: [String]
    var corpus: String
    var split: String
    var passes: Int
    var textField: String
    var skipBadLines: Bool
    var stages: [String]
    var seed: UInt64
    var stabilityDocuments: Int
    var stabilityMaxBytes: Int

    enum CodingKeys: String, CodingKey {
        case workbenchVersion = "workbench_version", arguments, compressors, corpus, split, passes
        case textField = "text_field", skipBadLines = "skip_bad_lines", stages, seed
        case stabilityDocuments = "stability_documents", stabilityMaxBytes = "stability_max_bytes"
    }
}

/// UTC timestamps as results record them.
enum Timestamp {
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
