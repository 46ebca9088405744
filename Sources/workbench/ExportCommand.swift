import ArgumentParser
import Foundation
import Pipelines
import ProxyTrainer
import WorkbenchCore

/// `workbench export`: a compressed corpus in a format another trainer reads.
struct ExportCommand: ParsableCommand {
    /// The export formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case referenceJSONL = "reference-jsonl"
        case tokenArray = "token-array"
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a compressed corpus for the reference PyTorch trainer or a memory-mapping trainer.",
        discussion: """
            reference-jsonl writes <prefix>.jsonl, one {"text": ..., <field>: ...} line per document, in the \
            format of github.com/LZhengisme/proxy-compression: ac adds m1_ac_ow<b> (base64 of the 9-bit stream); \
            bpe adds bpe_ids and writes <prefix>.tokenizer.json beside it, and <prefix>.tokenizer/ (tokenizer.json and \
            tokenizer_config.json), the folder the reference loads as spm_byte_path; gzip adds nothing, because the \
            reference compresses on the fly; other compressors add <id>_base64 or <id>_symbols. --chunk-naming names \
            the output <prefix>.chunk.00.jsonl, as the reference's loader expects.
            token-array writes <prefix>.bin (little-endian uint16 ids when the vocabulary fits, else uint32), \
            <prefix>.idx (documents + 1 little-endian uint64 offsets in tokens) and <prefix>.json (dtype, counts, \
            compressor, corpus sha256 and the proxy vocabulary: 0..63 special, 64+b raw byte b, 320+v symbol v). \
            Each document is bos <compressed> ids </compressed> eos (--view compressed) or bos <raw> bytes </raw> eos \
            (--view raw). docs/token_array_reader.py reads it.
            Both formats also write <prefix>.json; --out names the prefix (a trailing .jsonl or .bin is dropped). \
            Documents are streamed: memory is bounded by a batch, not by the corpus. For a trained compressor, \
            train once (workbench train-compressor) and pass the artifact (bpe:tokenizer=PATH) so no rank retrains.
            Sharding: see --world-size; docs/scale.md runs it as a Slurm job array, and `workbench merge DIR --out \
            PREFIX` joins the shards into exactly what an unsharded export writes.
            """)

    @Option(
        name: .customLong("compressor"),
        help: ArgumentHelp("The compressor spec, e.g. ac or bpe:tokenizer=t.json.", valueName: "spec"))
    var compressorSpec: String

    @Option(help: "reference-jsonl or token-array.")
    var format: Format

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(help: "Which split of the corpus to export.")
    var split: CorpusSplit = .all

    @Option(help: "For token-array: compressed (bos <compressed> ids </compressed> eos) or raw (bos <raw> bytes </raw> eos).")
    var view: TokenArrayFormat.View = .compressed

    @Option(
        name: .customLong("out"),
        help: ArgumentHelp("Output prefix; with --rank/--world-size, the shard directory.", valueName: "path"))
    var output: String

    @Flag(
        help: ArgumentHelp(
            "For reference-jsonl: name the main output <prefix>.chunk.00.jsonl (shards: shard-R-of-N.chunk.00.jsonl), the *.chunk.*.jsonl files the reference's loader reads from a folder (docs/scale.md)."
        ))
    var chunkNaming = false

    @OptionGroup(title: "Sharding and threads") var shardArguments: ShardArguments

    func validate() throws {
        if chunkNaming && format != .referenceJSONL {
            throw ValidationError(
                "--chunk-naming names reference-jsonl outputs; it does not apply to --format \(format.rawValue)")
        }
    }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let assignment = try shardArguments.assignment()
        MemoryPolicy.boundRetainedMemory()
        let spec = try CompressorSpec(parsing: compressorSpec)
        let stream = try corpusArguments.openStream(reading: split)
        let info = try shardArguments.corpusInfo(stream, recorded: true)
        let compressor = try BuiltinsRegistry.shared.makeCompressor(
            spec, context: TrainingContext.make(.stream(stream, corpusSHA256: { try? info.sha256() })))
        let corpus = ExportHeader.CorpusSource(
            name: stream.name, info: info, split: split, splitRule: stream.splitAssignment?.rule ?? CorpusSplit.ruleDescription)
        let outcome: CorpusJobRunner.Outcome
        switch format {
        case .referenceJSONL:
            outcome = try CorpusJobRunner.run(
                ReferenceJSONLFormat(compressor: compressor, corpus: corpus, chunkNaming: chunkNaming), stream: stream,
                unitCount: info.unitCount, split: split, jobs: shardArguments.jobs, assignment: assignment,
                out: chunkNaming && output.hasSuffix(".jsonl") && !output.hasSuffix(ReferenceJSONLFormat.chunkSuffix)
                    ? String(output.dropLast(".jsonl".count)) : output)
        case .tokenArray:
            let vocabulary = try ProxyVocabulary(descriptor: compressor.descriptor)
            outcome = try CorpusJobRunner.run(
                TokenArrayFormat(compressor: compressor, vocabulary: vocabulary, view: view, corpus: corpus), stream: stream,
                unitCount: info.unitCount, split: split, jobs: shardArguments.jobs, assignment: assignment, out: output)
        }
        guard !outcome.skipped else { return }
        let counts = outcome.counts
        log.info(
            "exported \(counts.documents) documents (\(counts.rawBytes) bytes, \(counts.symbols) symbols, \(counts.skippedLines) lines skipped) with \(compressor.descriptor.spec) as \(format.rawValue)\(assignment.map { " (\($0.stem))" } ?? "")"
        )
    }
}

extension TokenArrayFormat.View: ExpressibleByArgument {}
