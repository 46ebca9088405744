import ArgumentParser
import Foundation
import Pipelines
import WorkbenchCore

/// `workbench encode`: symbols (and spans) of every document as JSON Lines, for inspection and reuse.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Write each document's symbols as JSON Lines.",
        discussion: """
            One line per document: {"source": "corpus.jsonl:12", "symbols": [...], "spans": [[s0, s1, b0, b1], ...]}. \
            A span [s0, s1, b0, b1] says that symbols s0..<s1 stand for raw bytes b0..<b1 (half-open ranges); \
            spans appear only for compressors that know them (bpe, ac, bytes), not zstd.
            A corpus is streamed (memory bounded by a batch, not the corpus); --jobs encodes on several threads \
            with the output order unchanged. With --rank/--world-size, --out is a directory of shard-R-of-N.jsonl \
            files and markers, and `workbench merge DIR --out FILE` joins them into what an unsharded run writes.
            """)

    @Option(name: .customLong("compressor"), help: ArgumentHelp("The compressor spec, e.g. bytepairs.", valueName: "spec"))
    var compressorSpec: String

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Which split of the corpus to encode.")
    var split: CorpusSplit = .all

    @Option(name: .customLong("in"), help: "Encode this one file instead of a corpus.")
    var input: String?

    @Option(
        name: .customLong("out"),
        help:
            "Output JSONL file, written atomically; standard output when omitted. With --rank/--world-size, the shard directory.")
    var output: String?

    @OptionGroup(title: "Sharding and threads") var shardArguments: ShardArguments

    func validate() throws {
        if input != nil && corpusArguments.corpus != nil {
            throw ValidationError("give either --in FILE or --corpus PATH, not both")
        }
        if input != nil, try shardArguments.assignment() != nil {
            throw ValidationError("--rank/--world-size shard a corpus; they do not apply to --in FILE")
        }
    }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let spec = try CompressorSpec(parsing: compressorSpec)
        if let input {
            let compressor = try BuiltinsRegistry.shared.makeCompressor(spec, context: .withoutCorpus)
            let document = CorpusDocument(bytes: try StandardStreams.read(input), source: input)
            let line = JSONText.encodedLine(source: document.source, encoded: try compressor.encode(document.bytes)) + "\n"
            try StandardStreams.write(Array(line.utf8), to: output, what: "the encoded document")
            log.info("encoded 1 document with \(compressor.descriptor.spec)")
            return
        }
        let assignment = try shardArguments.assignment()
        MemoryPolicy.boundRetainedMemory()
        let stream = try corpusArguments.openStream(reading: split)
        let info = try shardArguments.corpusInfo(stream, recorded: assignment != nil)
        let compressor = try BuiltinsRegistry.shared.makeCompressor(
            spec, context: TrainingContext.make(.stream(stream, corpusSHA256: { try? info.sha256() })))
        let outcome = try CorpusJobRunner.run(
            EncodeFormat(compressor: compressor, corpusInfo: info, split: split), stream: stream, unitCount: info.unitCount,
            split: split, jobs: shardArguments.jobs, assignment: assignment, out: output)
        guard !outcome.skipped else { return }
        log.info(
            "encoded \(outcome.counts.documents) documents (\(outcome.counts.skippedLines) bad lines skipped) with \(compressor.descriptor.spec)\(assignment.map { " (\($0.stem))" } ?? "")"
        )
    }
}
