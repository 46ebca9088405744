import Foundation
import NeuralEngine
import ProxyTrainer
import WorkbenchCore

/// `export --format training-stream`: exactly the packed sequences a proxy-training run feeds the
/// engine, step by step (after the block shuffle), as little-endian arrays another trainer can
/// memory-map, with a header holding the run's whole configuration (`TrainingStreamHeader`).
///
/// The batches come from `ProxyRunConfig.batchStream`, the function `ProxyTrainingRun` trains
/// from, so the stream logic stays in one place. Sharded (`--rank R --world-size N`), every rank
/// generates the whole stream (packing is sequential) and writes its rows of each step
/// (`TrainingStreamRows`) as `shard-R-of-N.*` with a completion marker, skipped on relaunch when
/// complete, as the other exports do. Rank 0 (or an unsharded export) also writes the evaluation
/// documents and, when asked, the initial weights. Shards are read per rank, not merged.
public struct TrainingStreamExport {
    /// The run whose stream is exported.
    public var config: ProxyRunConfig
    /// The compressed view (nil: bytes only).
    public var compressor: (any Compressor)?
    /// The train split, the stream's documents.
    public var training: [[UInt8]]
    /// The valid split, written for the evaluation.
    public var validation: [[UInt8]]
    /// The corpus record (its split is the train split).
    public var corpus: ExportHeader.Corpus
    /// Whether the initial weights are written too.
    public var savesInitialWeights: Bool
    /// Called with (steps written, steps) now and then.
    public var progress: (Int, Int) -> Void = { _, _ in }

    /// The job kind recorded in shard markers.
    public static let kind = "export-training-stream"

    /// Creates an export.
    public init(
        config: ProxyRunConfig, compressor: (any Compressor)?, training: [[UInt8]], validation: [[UInt8]],
        corpus: ExportHeader.Corpus, savesInitialWeights: Bool
    ) {
        self.config = config
        self.compressor = compressor
        self.training = training
        self.validation = validation
        self.corpus = corpus
        self.savesInitialWeights = savesInitialWeights
    }

    /// Everything that determines the output bytes besides the rank.
    public var job: String {
        "\(Self.kind)|\(compressor?.descriptor.spec.description ?? "bytes only")|\(config.steps) steps of \(config.batch) x \(config.context)|config sha256 \(SHA256.hexDigest(Array(Self.json(config).utf8)))"
    }

    /// Writes the export to `out` (a prefix; with `assignment`, the shard directory).
    /// - Returns: the header written (or, for a shard already complete, nil).
    /// - Throws: `WorkbenchError` for a world size that does not divide the batch, a directory of
    ///   another run or world size, a write failure; `ProxyTrainerError`, `CodecError` from the stream.
    @discardableResult
    public func run(out: String, assignment: ShardAssignment?) throws -> TrainingStreamHeader? {
        let rows = try TrainingStreamRows(globalBatch: config.batch, assignment: assignment)
        guard let assignment else {
            let prefix = out.hasSuffix(".json") ? String(out.dropLast(".json".count)) : out
            try CorpusJobRunner.createParentDirectory(of: prefix + ".json")
            return try write(rows: rows, name: { prefix + $0 }).header
        }
        let directory = try ShardDirectory(path: out, create: true)
        try directory.checkWorldSize(assignment.worldSize)
        // Held until the shard's marker is written (released when this scope ends).
        let lock = try ShardLock(assignment, in: directory)
        if let unsupported = lock.unsupported { log.warning("\(unsupported)") }
        defer { withExtendedLifetime(lock) {} }
        let (done, problem) = try directory.completedShard(assignment, job: job)
        if done != nil {
            log.info("\(assignment.stem) is already complete in \(out) (marker verified); skipping")
            return nil
        }
        if let problem { log.warning("redoing \(assignment.stem): \(problem)") }
        directory.clear(assignment)
        let (header, outputs) = try write(rows: rows, name: { directory.file(assignment.stem + $0) })
        let positions = config.steps * rows.rowsPerStep * config.context
        let drawn = header.draws.raw + header.draws.compressed + header.draws.both
        try directory.writeMarker(
            ShardMarker(
                assignment: assignment, job: job, units: rows.rows, unitCount: config.batch,
                counts: ShardCounts(
                    documents: drawn, rawBytes: header.draws.compressedRawBytes, symbols: header.draws.compressedSymbols,
                    items: positions, skippedLines: 0),
                outputs: outputs))
        return header
    }

    /// Writes every file of one shard (or of the unsharded export); `name` maps a suffix to a path.
    private func write(
        rows: TrainingStreamRows, name: (String) -> String
    ) throws -> (header: TrainingStreamHeader, outputs: [OutputFileRecord]) {
        let vocabulary = try config.vocabulary(for: compressor?.descriptor)
        let model = config.modelConfig(vocabularySize: vocabulary.size)
        var stream = try config.batchStream(training: training, compressor: compressor, vocabulary: vocabulary)
        let tokenType: TrainingStreamArray.ElementType = vocabulary.size <= 65_536 ? .uint16 : .uint32
        var arrays: [TrainingStreamArray] = [
            .init(name: "tokens", suffix: ".tokens.bin", type: tokenType, meaning: "input token ids"),
            .init(
                name: "targets", suffix: ".targets.bin", type: tokenType,
                meaning: "the next token of each position (any id where its weight is 0)"),
            .init(
                name: "documentIDs", suffix: ".document-ids.bin", type: .int32,
                meaning:
                    "the packed document (stream unit) of each input position: a position attends to the earlier positions of its run of equal ids, and its RoPE position counts from that run's start"
            ),
            .init(
                name: "weights", suffix: ".weights.bin", type: .float32,
                meaning:
                    "loss weight of each target: 0 across a document boundary, 1/2 at raw targets with the extra head, else 1"
            ),
        ]
        if config.extraHead {
            arrays += [
                .init(
                    name: "extraTargets", suffix: ".extra-targets.bin", type: tokenType,
                    meaning: "the token after next, for the extra head (pad where its weight is 0)"),
                .init(
                    name: "extraWeights", suffix: ".extra-weights.bin", type: .float32,
                    meaning:
                        "loss weight of the extra head: 1/2 where the next two targets are raw bytes of the same document, else 0"
                ),
            ]
        }
        arrays.append(
            .init(
                name: "targetViews", suffix: ".target-views.bin", type: .uint8,
                meaning: "the view of each target: 0 special (bos, eos, opening sentinels), 1 raw, 2 compressed"))
        var writers: [AtomicFileWriter] = []
        for array in arrays { writers.append(try AtomicFileWriter(path: name(array.suffix))) }
        let reportEvery = max(1, config.steps / 10)
        for step in 0..<config.steps {
            let packed = try stream.nextBatch(step: step, batchSize: config.batch)
            let batch = packed.training
            let t = config.context
            let range = (rows.firstRow * t)..<((rows.firstRow + rows.rowsPerStep) * t)
            for (array, writer) in zip(arrays, writers) {
                switch array.name {
                case "tokens": try writer.write(array.type.bytes(batch.tokens[range]))
                case "targets": try writer.write(array.type.bytes(batch.targets[range]))
                case "documentIDs": try writer.write(array.type.bytes((batch.documentIDs ?? [])[range]))
                case "weights": try writer.write(TrainingStreamArray.ElementType.bytes(floats: batch.weights[range]))
                case "extraTargets": try writer.write(array.type.bytes((batch.extraTargets ?? [])[range]))
                case "extraWeights":
                    try writer.write(TrainingStreamArray.ElementType.bytes(floats: (batch.extraWeights ?? [])[range]))
                default: try writer.write(packed.targetViews[range].map(\.rawValue))
                }
            }
            if (step + 1) % reportEvery == 0 || step + 1 == config.steps { progress(step + 1, config.steps) }
        }
        var outputs: [OutputFileRecord] = []
        for writer in writers { outputs.append(try writer.commit()) }
        var evaluation: TrainingStreamHeader.Evaluation?
        var initialWeights: String?
        if rows.rank == 0 {
            let bytesFile = try AtomicFileWriter(path: name(".valid.bin"))
            let indexFile = try AtomicFileWriter(path: name(".valid.idx"))
            var offset: UInt64 = 0
            try indexFile.write(CorpusJobRunner.littleEndianBytes(offset))
            for document in validation {
                try bytesFile.write(document)
                offset += UInt64(document.count)
                try indexFile.write(CorpusJobRunner.littleEndianBytes(offset))
            }
            outputs += [try bytesFile.commit(), try indexFile.commit()]
            evaluation = .init(
                split: CorpusSplit.valid.rawValue, documents: validation.count, bytes: Int(offset),
                sampleDocuments: config.evaluationSample(of: validation).count, bytesFile: fileName(name(".valid.bin")),
                indexFile: fileName(name(".valid.idx")))
            if savesInitialWeights {
                let path = name(".initial.safetensors")
                try config.initialParameters(vocabularySize: vocabulary.size).save(
                    to: path, extraMetadata: ["proxy.config": Self.json(config)])
                outputs.append(try Self.record(path))
                initialWeights = fileName(path)
            }
        }
        let counts = stream.streamState
        let header = TrainingStreamHeader(
            runConfig: config, model: model, parameters: model.parameterCount,
            flopsPerStep: config.flopsPerStep(vocabularySize: vocabulary.size),
            optimizer: .init(
                adamw: config.optimizer, schedule: config.learningRateSchedule, maxGradientNorm: ProxyRunConfig.maxGradientNorm),
            compressor: compressor.map { ExportHeader.compressorRecord($0.descriptor) }, corpus: corpus,
            vocabulary: ExportHeader.Vocabulary(
                size: vocabulary.size, compressedSymbols: vocabulary.compressedSymbols,
                passesRawBytesThrough: vocabulary.passesRawBytesThrough),
            compressedView: vocabulary.view.rawValue, symbolBytes: vocabulary.symbolBytes,
            sharedByteEmbedding: vocabulary.sharedByteEmbedding, steps: config.steps, sequenceLength: config.context,
            rows: rows,
            arrays: arrays.map {
                .init(
                    name: $0.name, file: fileName(name($0.suffix)), dtype: $0.type.rawValue,
                    shape: [config.steps, rows.rowsPerStep, config.context], meaning: $0.meaning)
            },
            evaluation: evaluation, initialWeights: initialWeights,
            draws: .init(
                raw: counts.drawCounts[0], compressed: counts.drawCounts[1], both: counts.drawCounts[2],
                compressedRawBytes: counts.compressedRawBytes, compressedSymbols: counts.compressedSymbols))
        let headerFile = try AtomicFileWriter(path: name(".json"))
        try headerFile.write(try header.serialized())
        outputs.append(try headerFile.commit())
        return (header, outputs)
    }

    private func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// The marker record of a file written by another writer (the weights).
    private static func record(_ path: String) throws -> OutputFileRecord {
        var hasher = SHA256()
        var bytes = 0
        try CorpusStream.readChunks(path) {
            hasher.update($0)
            bytes += $0.count
        }
        return OutputFileRecord(
            name: URL(fileURLWithPath: path).lastPathComponent, bytes: bytes, sha256: SHA256.hex(hasher.finalize()))
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
