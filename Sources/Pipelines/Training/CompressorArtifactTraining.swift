import Foundation
import WorkbenchCore

/// Trains a compressor that learns (bpe, ac) on a corpus's train split and saves its artifact:
/// training happens in a temporary folder beside the target that is renamed into place when
/// complete, with `training.json` (corpus fingerprint, options, wall time), so an interrupted
/// run never leaves a half-written artifact where a spec would load it.
public struct CompressorArtifactTraining {
    public var spec: CompressorSpec
    public var registry: CompressorRegistry
    /// The folder the artifact goes to.
    public var outputDirectory: String
    /// Replace a non-empty `outputDirectory`.
    public var replacing: Bool

    public init(spec: CompressorSpec, registry: CompressorRegistry, outputDirectory: String, replacing: Bool) {
        (self.spec, self.registry, self.outputDirectory, self.replacing) = (spec, registry, outputDirectory, replacing)
    }

    /// Checks the spec and the output folder before the corpus is read.
    /// - Returns: the compressor's trainer and its resolved options.
    public func prepare() throws -> (trainer: CompressorTrainer, options: ResolvedOptions) {
        let entry = try registry.entry(for: spec.id)
        guard let trainer = entry.trainer else {
            let trainable = registry.entries.filter { $0.trainer != nil }.map(\.id)
            throw WorkbenchError(
                "'\(spec.id)' does not train; compressors that train: \(trainable.isEmpty ? "none yet" : trainable.joined(separator: ", "))"
            )
        }
        let options = try ResolvedOptions(spec.options, specs: entry.options, compressor: spec.id)
        if FileManager.default.fileExists(atPath: outputDirectory) {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory)) ?? []
            guard contents.isEmpty || replacing else {
                throw WorkbenchError("'\(outputDirectory)' already exists and is not empty; choose another --out or pass --force")
            }
        }
        return (trainer, options)
    }

    /// Trains on the corpus's train split and moves the artifact into place.
    /// - Returns: the spec that loads the artifact (e.g. `bpe:tokenizer=DIR/tokenizer.json`) and
    ///   the training's wall time.
    public func run(
        corpus: Corpus, progress: @escaping @Sendable (String) -> Void
    ) throws -> (spec: CompressorSpec, seconds: Double) {
        let (trainer, options) = try prepare()
        let documents = corpus.documents(in: .train).map(\.bytes)
        guard !documents.isEmpty else {
            throw WorkbenchError("the train split of '\(corpus.path)' is empty (\(corpus.documents.count) documents in all)")
        }
        let manager = FileManager.default
        // Beside the target (only trailing slashes dropped: an absolute --out stays absolute).
        var base = outputDirectory
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        let temporary = base + ".partial-\(getpid())"
        try? manager.removeItem(atPath: temporary)
        try SystemWrite.makeDirectory(temporary)
        progress("training \(spec) on \(documents.count) documents of \(corpus.name)")
        let start = Clock.now
        let loadOptions: [String: String]
        do {
            loadOptions = try trainer.train(options, documents, temporary, progress)
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
        let seconds = Clock.seconds(since: start)
        let loadSpec = CompressorSpec(
            id: spec.id, options: loadOptions.mapValues { $0.replacingOccurrences(of: temporary, with: outputDirectory) })
        try AtomicFile.writeJSON(
            ArtifactTrainingRecord(
                workbenchVersion: WorkbenchVersion.current, compressor: spec.id, options: options.values,
                corpus: corpus.path, corpusSHA256: corpus.sha256, split: "train", documents: documents.count,
                wallSeconds: seconds, loadSpec: loadSpec.description),
            to: temporary + "/training.json")
        if manager.fileExists(atPath: outputDirectory) { try manager.removeItem(atPath: outputDirectory) }
        guard rename(temporary, base) == 0 else {
            let code = errno
            try? manager.removeItem(atPath: temporary)
            throw WorkbenchError(
                "cannot move the trained artifact into '\(outputDirectory)': \(SystemWrite.reason(code)); \(SystemWrite.remedy(code))"
            )
        }
        return (loadSpec, seconds)
    }
}

/// `training.json`: how an artifact was trained.
public struct ArtifactTrainingRecord: Codable, Sendable {
    public var workbenchVersion: String
    public var compressor: String
    public var options: [String: String]
    public var corpus: String
    public var corpusSHA256: String
    public var split: String
    public var documents: Int
    public var wallSeconds: Double
    public var loadSpec: String

    enum CodingKeys: String, CodingKey {
        case workbenchVersion = "workbench_version", compressor, options, corpus, corpusSHA256 = "corpus_sha256", split
        case documents, wallSeconds = "wall_seconds", loadSpec = "load_spec"
    }
}
