import Foundation
import WorkbenchCore

/// Builds the context trainable compressors read their training split from.
enum TrainingContext {
    /// Where trained artifacts are cached between runs: `$WORKBENCH_CACHE`, else `artifacts/cache`.
    static var defaultCacheDirectory: String {
        ProcessInfo.processInfo.environment["WORKBENCH_CACHE"] ?? "artifacts/cache"
    }

    /// A context over `corpus`'s train split. When `runDirectory` is given, every artifact a plugin
    /// trains or loads is copied to `<run>/artifacts/<id>/` so the run holds what produced it.
    static func make(_ corpus: Corpus, runDirectory: RunDirectory? = nil) -> CompressorBuildContext {
        let training = corpus.documents(in: .train).map(\.bytes)
        return CompressorBuildContext(
            trainingDocuments: { training },
            trainingCorpusKey: "\(corpus.sha256)|train|\(CorpusSplit.ruleDescription)",
            artifactCacheDirectory: defaultCacheDirectory,
            recordArtifact: recorder(runDirectory))
    }

    /// Copies every artifact a plugin trains or loads to `<run>/artifacts/<id>/`, so the run
    /// holds what produced it; nothing without a run directory.
    static func recorder(_ runDirectory: RunDirectory?) -> @Sendable (String, String) -> Void {
        { id, directory in
            guard let runDirectory else { return }
            let target = runDirectory.file("artifacts/\(id)")
            let manager = FileManager.default
            try? manager.createDirectory(atPath: runDirectory.file("artifacts"), withIntermediateDirectories: true)
            try? manager.removeItem(atPath: target)
            do {
                try manager.copyItem(atPath: directory, toPath: target)
            } catch {
                log.warning("could not copy the \(id) artifact from \(directory) into the run: \(error)")
            }
        }
    }
}
