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
        case trainingStream = "training-stream"
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Export a compressed corpus for the reference PyTorch trainer or a memory-mapping trainer, or a run's training stream.",
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
            training-stream writes the packed sequences a proxy-training run (workbench train with the same options) \
            feeds the engine at each step, after the block shuffle: <prefix>.tokens.bin, .targets.bin, \
            .document-ids.bin (the attention mask and RoPE restarts), .weights.bin, .target-views.bin and, with \
            --extra-head, .extra-targets.bin and .extra-weights.bin, each (steps, batch, context) little-endian; \
            <prefix>.valid.bin and .valid.idx (the valid split's bytes, for the evaluation); <prefix>.json (the \
            whole run configuration, model, optimizer schedule, vocabulary, dtypes and shapes); with \
            --save-initial-weights, <prefix>.initial.safetensors. Sharded, rank R writes rows R*B/N ..< (R+1)*B/N \
            of every step's batch of B (N must divide B); shards are read per rank by the trainer \
            (trainers/pytorch), not merged.
            Every format writes <prefix>.json; --out names the prefix (a trailing .jsonl or .bin is dropped). \
            Documents are streamed: memory is bounded by a batch, not by the corpus. For a trained compressor, \
            train once (workbench train-compressor) and pass the artifact (bpe:tokenizer=PATH) so no rank retrains.
            Sharding: see --world-size; docs/scale.md runs it as a Slurm job array, and `workbench merge DIR --out \
            PREFIX` joins the shards into exactly what an unsharded export writes.
            """)

    @Option(
        name: .customLong("compressor"),
        help: ArgumentHelp(
            "The compressor spec, e.g. ac or bpe:tokenizer=t.json (training-stream: omit for bytes only).", valueName: "spec"))
    var compressorSpec: String?

    @Option(help: "reference-jsonl, token-array or training-stream.")
    var format: Format

    @OptionGroup var corpusArguments: CorpusArguments

    @Option(
        help:
            "Which split of the corpus to export (default: all). training-stream always draws from the train split and writes the valid split for the evaluation."
    )
    var split: CorpusSplit?

    @Option(
        help:
            "For token-array: compressed (bos <compressed> ids </compressed> eos, the default) or raw (bos <raw> bytes </raw> eos)."
    )
    var view: TokenArrayFormat.View?

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

    @OptionGroup(title: "Proxy training (training-stream: the same options as train)") var trainer: TrainerOptions

    @OptionGroup(title: "The run (training-stream)") var runOptions: RunOptions

    func validate() throws {
        if chunkNaming && format != .referenceJSONL {
            throw ValidationError(
                "--chunk-naming names reference-jsonl outputs; it does not apply to --format \(format.rawValue)")
        }
        if view != nil && format != .tokenArray {
            throw ValidationError("--view selects a token-array's view; it does not apply to --format \(format.rawValue)")
        }
        guard format == .trainingStream else {
            if compressorSpec == nil { throw ValidationError("--format \(format.rawValue) needs --compressor") }
            let defaults = try RunOptions.parse([]).settings(try TrainerOptions.parse([]))
            if runOptions.settings(trainer) != defaults || runOptions.saveInitialWeights {
                throw ValidationError(
                    "the proxy-training options (--steps, --batch, --rate, --seed...) describe a training stream; they apply to --format training-stream only"
                )
            }
            return
        }
        if split != nil {
            throw ValidationError(
                "--split does not apply to --format training-stream: the stream is drawn from the train split, and the valid split is written for the evaluation"
            )
        }
        if shardArguments.jobs != 1 || shardArguments.corpusSHA256 != nil {
            throw ValidationError(
                "--jobs and --corpus-sha256 do not apply to --format training-stream: it reads the corpus into memory and compresses on every core"
            )
        }
        do {
            try runOptions.settings(trainer).validate()
        } catch let error as ProxyTrainerError {
            throw ValidationError(error.message)
        }
        if (trainer.rate ?? 0) > 0 && compressorSpec == nil { throw ValidationError("--rate above 0 needs --compressor") }
        if let worldSize = shardArguments.worldSize {
            do {
                try TrainingStreamRows.check(globalBatch: trainer.batch ?? trainer.preset.defaults.batch, worldSize: worldSize)
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    @OptionGroup(title: "External plugins") var pluginArguments: PluginArguments

    func run() throws {
        pluginArguments.apply()
        let assignment = try shardArguments.assignment()
        MemoryPolicy.boundRetainedMemory()
        guard format != .trainingStream else { return try exportTrainingStream(assignment) }
        let spec = try CompressorSpec(parsing: compressorSpec ?? "")
        let split = self.split ?? .all
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
                TokenArrayFormat(compressor: compressor, vocabulary: vocabulary, view: view ?? .compressed, corpus: corpus),
                stream: stream, unitCount: info.unitCount, split: split, jobs: shardArguments.jobs, assignment: assignment,
                out: output)
        case .trainingStream: return
        }
        guard !outcome.skipped else { return }
        let counts = outcome.counts
        log.info(
            "exported \(counts.documents) documents (\(counts.rawBytes) bytes, \(counts.symbols) symbols, \(counts.skippedLines) lines skipped) with \(compressor.descriptor.spec) as \(format.rawValue)\(assignment.map { " (\($0.stem))" } ?? "")"
        )
    }

    /// The training-stream export: the run `workbench train` with the same options would make,
    /// its batches written instead of trained on.
    private func exportTrainingStream(_ assignment: ShardAssignment?) throws {
        let (corpus, training, validation) = try corpusArguments.loadTrainAndValid(for: "a training stream")
        let compressor = try BuiltinsRegistry.makeCompressor(compressorSpec, training: training, corpusSHA256: corpus.sha256)
        var settings = runOptions.settings(trainer)
        settings.checksMemory = false  // this machine only writes the stream; the trainer's devices hold the model
        let (config, reason) = try settings.runConfig(
            compressor: compressor?.descriptor, corpus: corpus.path, corpusSHA256: corpus.sha256)
        if compressor != nil { log.info("compressed view: \(config.compressedView.rawValue) (\(reason))") }
        var export = TrainingStreamExport(
            config: config, compressor: compressor, training: training, validation: validation,
            corpus: ExportHeader.Corpus(
                name: corpus.name, sha256: corpus.sha256, split: CorpusSplit.train.rawValue,
                splitRule: corpus.splitAssignment?.rule ?? CorpusSplit.ruleDescription),
            savesInitialWeights: runOptions.saveInitialWeights)
        export.progress = { done, total in log.info("training stream: \(done) of \(total) steps written") }
        guard let header = try export.run(out: output, assignment: assignment) else { return }
        log.info(
            "exported \(header.steps) steps of \(header.rows.rowsPerStep) x \(header.sequenceLength) tokens (\(header.draws.raw + header.draws.compressed + header.draws.both) documents drawn) with \(compressor?.descriptor.spec.description ?? "bytes only") as training-stream\(assignment.map { " (\($0.stem))" } ?? "")"
        )
    }
}

extension TokenArrayFormat.View: ExpressibleByArgument {}
