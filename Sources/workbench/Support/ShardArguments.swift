import ArgumentParser
import Pipelines
import WorkbenchCore

/// `--rank`, `--world-size` and `--jobs`: the options every corpus-wide command shares.
struct ShardArguments: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "This worker's shard, 0 ..< world size (e.g. $SLURM_ARRAY_TASK_ID). With --rank or --world-size, --out is a directory of shard-R-of-N outputs; `workbench merge` joins them.",
            valueName: "R"))
    var rank: Int?

    @Option(
        help: ArgumentHelp(
            "How many workers share the corpus. Rule: the corpus is numbered into units (a directory's files in sorted order, a JSONL file's non-blank lines); rank R takes units R*U/N ..< (R+1)*U/N. A shard already complete (marker verified by size and SHA-256) is skipped on relaunch.",
            valueName: "N"))
    var worldSize: Int?

    @Option(
        help: ArgumentHelp(
            "Threads that encode documents in parallel (output order is unchanged).", valueName: "N"))
    var jobs: Int = 1

    @Option(
        name: .customLong("corpus-sha256"),
        help: ArgumentHelp(
            "The corpus fingerprint, if known (corpus.sha256 in an earlier export's header; sha256sum of a single file): skips hashing the whole corpus, which every rank otherwise does.",
            valueName: "hex"))
    var corpusSHA256: String?

    /// The corpus's unit count and fingerprint: taken from --corpus-sha256, or hashed (on a
    /// thread of its own, overlapping the encoding, when --jobs is above 1).
    /// - Parameter recorded: whether an output records it (a header, a shard marker).
    func corpusInfo(_ stream: CorpusStream, recorded: Bool) throws -> CorpusInfo {
        try CorpusInfo(stream, given: corpusSHA256, background: jobs > 1, recorded: recorded)
    }

    /// The assignment, or nil for an unsharded run.
    func assignment() throws -> ShardAssignment? {
        guard rank != nil || worldSize != nil else { return nil }
        do {
            return try ShardAssignment(rank: rank ?? 0, worldSize: worldSize ?? 1)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func validate() throws {
        _ = try assignment()
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs \(jobs) must be between 1 and 256") }
        if let corpusSHA256, corpusSHA256.count != 64 || !corpusSHA256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            throw ValidationError("--corpus-sha256 '\(corpusSHA256)' is not 64 lowercase hex digits")
        }
    }
}
