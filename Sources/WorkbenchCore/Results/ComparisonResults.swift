import Foundation

/// The canonical numbers of one comparison run: `results.json`, schema `workbench.results/1`.
///
/// Reports are rendered from this alone, so every number a report shows must be here. Keys are
/// snake_case and spelled out in `CodingKeys` so the schema cannot drift by renaming a property.
/// The README documents every field.
public struct ComparisonResults: Sendable, Codable, Equatable {
    /// The schema this code writes and reads.
    public static let currentSchema = "workbench.results/1"

    /// Always `workbench.results/1` for this layout.
    public var schema: String
    /// When the run finished, ISO 8601 UTC.
    public var createdAt: String
    /// The corpus and split measured.
    public var corpus: CorpusRecord
    /// Stages that ran (`rate`, `stats`), and the settings of the statistics stage.
    public var stages: StagesRecord?
    /// One row per requested compressor, in request order, failed ones included.
    public var compressors: [CompressorResult]
    /// The bytes-only model trained at the same budget (train stage), the reference every proxy
    /// is compared with.
    public var baseline: ProxyRecord?
    /// Which cheap statistics rank the compressors as their downstream result does (4 or more
    /// trained compressors).
    public var screening: [ScreeningRecord]?
    /// Why screening is absent, when it is.
    public var screeningNote: String?
    /// The run's config.json, embedded so the report is a function of this file alone.
    public var config: JSONValue?
    /// The run's environment.json, embedded for the same reason.
    public var environment: JSONValue?
    /// Proxy models trained elsewhere (another machine, the PyTorch trainer) and added with
    /// `workbench report --add-run`.
    public var trainedElsewhere: [ExternalProxyRecord]?

    /// Creates results.
    public init(createdAt: String, corpus: CorpusRecord, stages: StagesRecord? = nil, compressors: [CompressorResult]) {
        self.schema = ComparisonResults.currentSchema
        self.createdAt = createdAt
        self.corpus = corpus
        self.stages = stages
        self.compressors = compressors
    }

    enum CodingKeys: String, CodingKey {
        case schema, createdAt = "created_at", corpus, stages, compressors, baseline, screening
        case screeningNote = "screening_note", config, environment, trainedElsewhere = "trained_elsewhere"
    }
}
