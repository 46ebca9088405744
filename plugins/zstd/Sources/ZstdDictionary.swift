import CZstd
import Foundation
import WorkbenchCore

/// A zstd dictionary, digested once for compression and once for decompression.
///
/// Why digested: `ZSTD_CDict`/`ZSTD_DDict` hold the dictionary's tables ready to use, so each
/// document pays only for its own bytes; loading a raw dictionary per call would rebuild them
/// every time. Both are read-only after creation and libzstd documents them as safe to share
/// between threads, which is what makes this class `Sendable`.
public final class ZstdDictionary: @unchecked Sendable {
    /// The dictionary content, as ZDICT produced it (or a raw-content dictionary).
    public let bytes: [UInt8]
    /// The id written into frames that use this dictionary (0 for raw-content dictionaries).
    public let dictionaryID: UInt32
    let decompressionDictionary: OpaquePointer

    /// Digests `bytes` for decompression; compressors digest it again for their level.
    /// - Throws: `CodecError.Kind.libraryFailure` when libzstd cannot load it.
    public init(bytes: [UInt8]) throws(CodecError) {
        self.bytes = bytes
        self.dictionaryID = bytes.withUnsafeBytes { ZDICT_getDictID($0.baseAddress, $0.count) }
        guard let ddict = bytes.withUnsafeBytes({ ZSTD_createDDict($0.baseAddress, $0.count) }) else {
            throw CodecError(.libraryFailure, compressor: "zstd", "libzstd could not load a \(bytes.count)-byte dictionary")
        }
        self.decompressionDictionary = ddict
    }

    deinit { ZSTD_freeDDict(decompressionDictionary) }

    /// The dictionary digested for compression at one level (a CDict bakes the level in).
    func compressionDictionary(level: Int) throws(CodecError) -> ZstdCompressionDictionary {
        guard let cdict = bytes.withUnsafeBytes({ ZSTD_createCDict($0.baseAddress, $0.count, Int32(clamping: level)) }) else {
            throw CodecError(
                .libraryFailure, compressor: "zstd", "libzstd could not digest a \(bytes.count)-byte dictionary at level \(level)"
            )
        }
        return ZstdCompressionDictionary(cdict)
    }

    /// Trains a dictionary of at most `capacity` bytes on `samples` with ZDICT_trainFromBuffer.
    ///
    /// Deterministic for the same samples in the same order (fastCover with fixed parameters).
    /// - Throws: `CodecError.Kind.libraryFailure` when ZDICT refuses (typically too few or too
    ///   small samples for the requested size: it wants roughly 100x the dictionary size).
    public static func train(capacity: Int, samples: [[UInt8]]) throws(CodecError) -> ZstdDictionary {
        let usable = samples.filter { !$0.isEmpty }
        var joined: [UInt8] = []
        joined.reserveCapacity(usable.reduce(0) { $0 + $1.count })
        var sizes: [Int] = []
        sizes.reserveCapacity(usable.count)
        for sample in usable {
            joined.append(contentsOf: sample)
            sizes.append(sample.count)
        }
        var dictionary = [UInt8](repeating: 0, count: max(capacity, 0))
        let produced = dictionary.withUnsafeMutableBytes { out in
            joined.withUnsafeBytes { input in
                sizes.withUnsafeBufferPointer { sizeList in
                    ZDICT_trainFromBuffer(
                        out.baseAddress, out.count, input.baseAddress, sizeList.baseAddress,
                        UInt32(clamping: sizeList.count))
                }
            }
        }
        if ZDICT_isError(produced) != 0 {
            throw CodecError(
                .libraryFailure, compressor: "zstd",
                "could not train a \(capacity)-byte dictionary on \(usable.count) documents (\(joined.count) bytes): "
                    + "\(String(cString: ZDICT_getErrorName(produced))); use a smaller dict size or a larger corpus")
        }
        dictionary.removeSubrange(min(produced, dictionary.count)...)
        return try ZstdDictionary(bytes: dictionary)
    }

    /// The dictionary for the build context's training split, from the artifact cache when an
    /// earlier run on the same corpus trained it already, otherwise trained now and cached.
    static func trainedOrCached(capacity: Int, context: CompressorBuildContext) throws -> ZstdDictionary {
        let cacheFile = cachePath(capacity: capacity, context: context)
        if let cacheFile, let data = FileManager.default.contents(atPath: cacheFile), !data.isEmpty {
            return try ZstdDictionary(bytes: [UInt8](data))
        }
        let dictionary = try train(capacity: capacity, samples: try context.trainingDocuments())
        if let cacheFile {
            // Atomic: a crash never leaves a half dictionary that a later run would load.
            try? Data(dictionary.bytes).write(to: URL(fileURLWithPath: cacheFile), options: .atomic)
        }
        return dictionary
    }

    private static func cachePath(capacity: Int, context: CompressorBuildContext) -> String? {
        guard let directory = context.artifactCacheDirectory, let key = context.trainingCorpusKey else { return nil }
        let safeKey = String(key.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return "\(directory)/zstd-dict-\(capacity)-\(safeKey).zdict"
    }
}

/// A dictionary digested for compression at one level; frees its CDict when released.
final class ZstdCompressionDictionary: @unchecked Sendable {
    // Subtle: a CDict is immutable once created and libzstd allows concurrent use from many
    // compression contexts, hence `@unchecked Sendable`.
    let cdict: OpaquePointer

    init(_ cdict: OpaquePointer) { self.cdict = cdict }

    deinit { ZSTD_freeCDict(cdict) }
}
