import Foundation
import WorkbenchCore

/// What `compare` asks of a measuring child: one compressor's rate (and statistics) stages on one
/// split of a corpus. This is the protocol between the parent and its `_measure` children: the
/// parent passes it as JSON in one argument, the child writes a `CompressorResult` to `resultPath`.
public struct MeasurementRequest: Sendable, Equatable, Codable {
    /// The compressor to measure.
    public var spec: CompressorSpec
    /// The corpus path and how to read it.
    public var corpusPath: String
    /// Reading options (text field, bad-line policy, glob).
    public var readOptions: Corpus.ReadOptions
    /// The parent's split assignment (JSON), nil for the exact rule.
    public var splitAssignmentPath: String?
    /// The parent's fingerprint of the corpus (the key of trained artifacts), so the child does
    /// not read the corpus once more to compute it.
    public var corpusSHA256: String
    /// The split measured.
    public var split: CorpusSplit
    /// Timed passes.
    public var passes: Int
    /// The statistics stage's settings, nil when it does not run.
    public var statistics: CompressorMeasurement.StatisticsPlan?
    /// The comparison's run directory (artifacts are recorded into it).
    public var runDirectory: String
    /// Where the child writes its `CompressorResult` (atomically).
    public var resultPath: String

    /// Creates a request.
    public init(
        spec: CompressorSpec, corpusPath: String, readOptions: Corpus.ReadOptions, splitAssignmentPath: String? = nil,
        corpusSHA256: String, split: CorpusSplit,
        passes: Int, statistics: CompressorMeasurement.StatisticsPlan?, runDirectory: String, resultPath: String
    ) {
        self.spec = spec
        self.corpusPath = corpusPath
        self.readOptions = readOptions
        self.splitAssignmentPath = splitAssignmentPath
        self.corpusSHA256 = corpusSHA256
        self.split = split
        self.passes = passes
        self.statistics = statistics
        self.runDirectory = runDirectory
        self.resultPath = resultPath
    }

    /// The hidden subcommand a child runs.
    public static let subcommand = "_measure"

    /// The child's command line: the subcommand and the request as JSON.
    public func childArguments() throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [Self.subcommand, "--request", String(decoding: try encoder.encode(self), as: UTF8.self)]
    }

    /// Parses the request a child was given.
    /// - Throws: `WorkbenchError` when the text is not a request (a parent of another version).
    public init(json: String) throws(WorkbenchError) {
        do {
            self = try JSONDecoder().decode(MeasurementRequest.self, from: Data(json.utf8))
        } catch {
            throw WorkbenchError("not a measurement request (from another workbench version?): \(error)")
        }
    }

    enum CodingKeys: String, CodingKey {
        case spec, corpusPath = "corpus_path", readOptions = "read_options", splitAssignmentPath = "split_assignment_path"
        case corpusSHA256 = "corpus_sha256", split
        case passes, statistics, runDirectory = "run_directory", resultPath = "result_path"
    }
}
