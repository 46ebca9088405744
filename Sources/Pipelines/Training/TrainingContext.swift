import Foundation
import WorkbenchCore

/// Builds the context trainable compressors read their training split from: the one place a
/// command turns a corpus into a `CompressorBuildContext`.
public enum TrainingContext {
    /// Where a compressor's training documents come from.
    public enum Source: Sendable {
        /// The train split already in memory, and the corpus fingerprint.
        case documents([[UInt8]], corpusSHA256: String)
        /// A streamed corpus: its train split is read (into memory) only if a plugin has to train,
        /// so a cached or given artifact (e.g. `bpe:tokenizer=PATH`) keeps memory bounded. The
        /// fingerprint is asked for (it may wait for a background pass) only if a plugin reads the
        /// cache key.
        case stream(CorpusStream, corpusSHA256: @Sendable () -> String?)
    }

    /// Where trained artifacts are cached between runs: `$WORKBENCH_CACHE`, else the user's cache
    /// directory (`$XDG_CACHE_HOME/workbench`, else `~/.cache/workbench`), so that a command works
    /// from any directory, a read-only one included.
    public static var defaultCacheDirectory: String {
        cacheDirectory(environment: ProcessInfo.processInfo.environment)
    }

    /// The cache directory `environment` selects (XDG Base Directory rules: an empty or relative
    /// `XDG_CACHE_HOME` is ignored).
    public static func cacheDirectory(environment: [String: String]) -> String {
        if let explicit = environment["WORKBENCH_CACHE"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/workbench" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/workbench"
    }

    /// A context over `source`'s train split. With `runDirectory`, every artifact a plugin trains
    /// or loads is copied to `<run>/artifacts/<id>/` so the run holds what produced it.
    public static func make(_ source: Source, runDirectory: RunDirectory? = nil) -> CompressorBuildContext {
        var context = makeWithoutLog(source, runDirectory: runDirectory)
        // A plugin's long work (training M1 takes minutes) shows on standard error.
        context.log = { message in log.info("\(message)") }
        return context
    }

    private static func makeWithoutLog(_ source: Source, runDirectory: RunDirectory?) -> CompressorBuildContext {
        switch source {
        case .documents(let training, let sha256):
            return CompressorBuildContext(
                trainingDocuments: { training }, trainingCorpusKey: corpusKey(sha256),
                artifactCacheDirectory: defaultCacheDirectory, recordArtifact: recorder(runDirectory))
        case .stream(let stream, let sha256):
            return CompressorBuildContext(
                trainingDocuments: {
                    var training: [[UInt8]] = []
                    try stream.forEachDocument(split: .train) { training.append($0.bytes) }
                    return training
                },
                lazyTrainingCorpusKey: { sha256().map(corpusKey) }, artifactCacheDirectory: defaultCacheDirectory,
                recordArtifact: recorder(runDirectory))
        }
    }

    /// A context over a corpus in memory (its train split is copied out once, here).
    public static func make(_ corpus: Corpus, runDirectory: RunDirectory? = nil) -> CompressorBuildContext {
        make(.documents(corpus.bytes(in: .train), corpusSHA256: corpus.sha256), runDirectory: runDirectory)
    }

    /// The cache key of a corpus's train split: its fingerprint and the split rule.
    private static func corpusKey(_ sha256: String) -> String { "\(sha256)|train|\(CorpusSplit.ruleDescription)" }

    /// Copies every artifact a plugin trains or loads to `<run>/artifacts/<id>/`, so the run
    /// holds what produced it (all or nothing: `ArtifactRecorder`); nothing without a run
    /// directory.
    static func recorder(_ runDirectory: RunDirectory?) -> @Sendable (String, String) -> Void {
        { id, directory in
            guard let runDirectory else { return }
            ArtifactRecorder(artifactsDirectory: runDirectory.file("artifacts")).record(id: id, from: directory)
        }
    }
}
