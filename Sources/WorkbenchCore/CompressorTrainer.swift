/// How a trainable compressor (bpe, ac) turns a corpus into a saved artifact.
public struct CompressorTrainer: Sendable {
    /// Trains on `documents` with validated options, writes the artifact into `directory` (created
    /// by the caller, empty), and returns the spec options that load it, e.g.
    /// `["tokenizer": "<directory>/tokenizer.json"]`. Progress goes to `log`.
    public var train:
        @Sendable (
            _ options: ResolvedOptions, _ documents: [[UInt8]], _ directory: String, _ log: @Sendable (String) -> Void
        ) throws -> [String: String]

    /// Creates a trainer.
    public init(
        train: @escaping @Sendable (ResolvedOptions, [[UInt8]], String, @Sendable (String) -> Void) throws -> [String: String]
    ) {
        self.train = train
    }
}
