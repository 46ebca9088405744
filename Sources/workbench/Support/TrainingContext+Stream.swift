import WorkbenchCore

extension TrainingContext {
    /// A context over a streamed corpus's train split: the split is read (into memory) only if a
    /// plugin has to train; a cached or given artifact (e.g. `bpe:tokenizer=PATH`) keeps memory
    /// bounded. The cache key is the one `make(_:)` uses, so both share trained artifacts.
    static func make(_ stream: CorpusStream, sha256: String) -> CompressorBuildContext {
        CompressorBuildContext(
            trainingDocuments: {
                var training: [[UInt8]] = []
                try stream.forEachDocument(split: .train) { training.append($0.bytes) }
                return training
            },
            trainingCorpusKey: "\(sha256)|train|\(CorpusSplit.ruleDescription)",
            artifactCacheDirectory: defaultCacheDirectory,
            recordArtifact: { _, _ in })
    }
}
