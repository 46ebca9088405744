import WorkbenchCore

extension TrainingContext {
    /// A context over a streamed corpus's train split: the split is read (into memory) only if a
    /// plugin has to train; a cached or given artifact (e.g. `bpe:tokenizer=PATH`) keeps memory
    /// bounded. The cache key is the one `make(_:)` uses, so both share trained artifacts.
    /// The key asks for the corpus fingerprint (`sha256`, which may wait for a background pass)
    /// only if a plugin reads it. With `runDirectory`, artifacts are recorded into the run as
    /// `make(_:runDirectory:)` does.
    static func make(
        _ stream: CorpusStream, sha256: @escaping @Sendable () -> String?, runDirectory: RunDirectory? = nil
    ) -> CompressorBuildContext {
        CompressorBuildContext(
            trainingDocuments: {
                var training: [[UInt8]] = []
                try stream.forEachDocument(split: .train) { training.append($0.bytes) }
                return training
            },
            lazyTrainingCorpusKey: { sha256().map { "\($0)|train|\(CorpusSplit.ruleDescription)" } },
            artifactCacheDirectory: defaultCacheDirectory,
            recordArtifact: recorder(runDirectory))
    }
}
