import Foundation
import WorkbenchCore

/// Joins the shard-R-of-N outputs of a sharded `encode` or `export` into exactly what an
/// unsharded run with the same output writes: main outputs concatenated in rank order,
/// token-array offsets rebased, header counts summed, companions (identical in every shard)
/// written once. Every shard must be complete and consistent, or nothing is written.
public enum ShardMerge {
    /// Merges the shards in `directory` into `output` (the file or prefix an unsharded run
    /// would be given) and returns the summed counts.
    /// - Throws: `WorkbenchError` naming the missing, broken or mismatched shard, or a file error.
    @discardableResult
    public static func merge(directory: String, into output: String) throws -> ShardCounts {
        let shards = try ShardDirectory(path: directory, create: false)
        let markers = try shards.completeShards()
        let first = markers[0]
        let kind = String(first.job.prefix { $0 != "|" })
        let mainSuffix: String
        switch kind {
        case "encode", "export-reference-jsonl": mainSuffix = ".jsonl"
        case "export-token-array": mainSuffix = ".bin"
        case TrainingStreamExport.kind:
            throw WorkbenchError(
                "\(directory) holds a sharded training stream: each rank's trainer reads its own shard-R-of-N files (trainers/pytorch), so it is not merged; export without --rank/--world-size for one set of files"
            )
        default:
            throw WorkbenchError(
                "\(directory): shards of an unknown job kind '\(kind)'; merge them with the workbench that wrote them")
        }
        var expectedLower = 0
        for marker in markers {
            guard marker.unitLowerBound == expectedLower, marker.unitCount == first.unitCount else {
                throw WorkbenchError(
                    "\(directory): shard-\(marker.rank)-of-\(marker.worldSize) covers units \(marker.unitLowerBound)..<\(marker.unitUpperBound) of \(marker.unitCount), expected to start at \(expectedLower) of \(first.unitCount); the shards come from different corpora"
                )
            }
            expectedLower = marker.unitUpperBound
        }
        let stem = { (marker: ShardMarker) in "shard-\(marker.rank)-of-\(marker.worldSize)" }
        let suffixes = first.outputs.map { String($0.name.dropFirst(stem(first).count)) }
        for marker in markers where marker.outputs.map({ String($0.name.dropFirst(stem(marker).count)) }) != suffixes {
            throw WorkbenchError("\(directory): \(stem(marker)) has other outputs than \(stem(first)); redo it")
        }
        let counts = markers.map(\.counts).reduce(ShardCounts(), +)
        for suffix in suffixes {
            let target = OutputLayout.path(kind: kind, out: output, mainSuffix: mainSuffix, suffix: suffix)
            let sources = markers.map { shards.file(stem($0) + suffix) }
            try CorpusJobRunner.createParentDirectory(of: target)
            switch suffix {
            case suffixes[0]: try concatenate(sources, into: target)  // the main output comes first
            case ".idx": try mergeIndex(sources, into: target)
            case ".json": try mergeHeader(sources, counts: counts, into: target)
            default:
                // A companion (a tokenizer, its configuration): the same in every shard, written once.
                let digests = Set(
                    markers.compactMap { marker in marker.outputs.first { $0.name == stem(marker) + suffix }?.sha256 })
                guard digests.count == 1 else {
                    throw WorkbenchError(
                        "\(directory): the shards' \(suffix.dropFirst()) files differ; every rank must use the same trained artifact (train it once with workbench train-compressor and pass it in the spec)"
                    )
                }
                try concatenate([sources[0]], into: target)
            }
        }
        return counts
    }

    private static func concatenate(_ sources: [String], into target: String) throws {
        let writer = try AtomicFileWriter(path: target)
        for source in sources {
            try CorpusStream.readChunks(source) { chunk in
                // The closure cannot throw; a failed write is caught by the size check below.
                try? writer.write(chunk)
            }
        }
        let expected = try sources.reduce(0) { $0 + (try fileSize($1)) }
        guard writer.byteCount == expected else {
            writer.abandon()
            throw WorkbenchError(
                "cannot write '\(target)': wrote \(writer.byteCount) of \(expected) bytes; check free disk space")
        }
        try writer.commit()
    }

    /// Rebases each shard's offsets on the tokens before it; each shard's leading 0 is dropped
    /// except the first shard's.
    private static func mergeIndex(_ sources: [String], into target: String) throws {
        let writer = try AtomicFileWriter(path: target)
        var base: UInt64 = 0
        for (shard, source) in sources.enumerated() {
            var offsets: [UInt64] = []
            try CorpusStream.readChunks(source) { chunk in
                // Chunks are 1 MiB (a multiple of 8) except the last, so no offset is split.
                for start in stride(from: 0, to: chunk.count - 7, by: 8) {
                    var value: UInt64 = 0
                    for byte in 0..<8 { value |= UInt64(chunk[start + byte]) << (8 * UInt64(byte)) }
                    offsets.append(value)
                }
            }
            guard let last = offsets.last else {
                throw WorkbenchError("\(source): empty document index; redo this shard")
            }
            for offset in offsets.dropFirst(shard == 0 ? 0 : 1) {
                try writer.write(CorpusJobRunner.littleEndianBytes(base + offset))
            }
            base += last
        }
        try writer.commit()
    }

    private static func mergeHeader(_ sources: [String], counts: ShardCounts, into target: String) throws {
        var merged: ExportHeader?
        for source in sources {
            var header: ExportHeader
            do {
                header = try JSONDecoder().decode(ExportHeader.self, from: Data(contentsOf: URL(fileURLWithPath: source)))
            } catch {
                throw WorkbenchError("\(source): not a readable export header (\(error)); redo this shard")
            }
            header.shard = nil
            header.counts = counts
            if let merged, merged != header {
                throw WorkbenchError(
                    "\(source): the header differs from shard 0's (compressor, corpus or vocabulary); the shards come from different exports"
                )
            }
            merged = header
        }
        guard let merged else { return }
        let writer = try AtomicFileWriter(path: target)
        try writer.write(try merged.serialized())
        try writer.commit()
    }

    private static func fileSize(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
}
