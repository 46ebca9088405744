import CZstd
import WorkbenchCore

/// The `zstd` row of the plugin table: Zstandard through the system libzstd.
public enum ZstdPlugin {
    /// The options `zstd:level=19,dict=65536` accepts.
    public static let options: [OptionSpec] = [
        OptionSpec(
            "level", .integer(1...22), default: "19",
            help: "compression level; 19 is the strongest without --ultra memory, 20..22 use larger windows"),
        OptionSpec(
            "dict", .integer(1024...1_048_576), default: nil,
            help: "train a dictionary of this many bytes on the corpus's train split (ZDICT) and use it for every document"),
    ]

    /// The registry row; Builtins lists it.
    public static let entry = CompressorEntry(
        id: "zstd", displayName: "Zstandard",
        summary: "libzstd, one standard frame per document; optional trained dictionary for small documents",
        options: options,
        library: { (name: "libzstd", version: libraryVersion) },
        // The fastest level, and the dictionary path (trained on the suite's small train set).
        conformanceOptions: [["level": "1"], ["level": "19", "dict": "4096"]],
        make: { options, context in
            let level = options.integer("level") ?? ZstdCompressor.defaultLevel
            guard let dictionaryBytes = options.integer("dict") else {
                return try ZstdCompressor(level: level)
            }
            let dictionary = try ZstdDictionary.trainedOrCached(capacity: dictionaryBytes, context: context)
            return try ZstdCompressor(level: level, dictionary: dictionary)
        })

    /// The linked libzstd's version as it reports itself at run time, e.g. "1.5.4".
    public static var libraryVersion: String { String(cString: ZSTD_versionString()) }
}
