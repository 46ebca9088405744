import CBrotli
import WorkbenchCore

/// The `brotli` row of the plugin table: Brotli (RFC 7932) through the system libbrotli.
public enum BrotliPlugin {
    /// The options `brotli:quality=11,window=22` accepts.
    public static let options: [OptionSpec] = [
        OptionSpec("quality", .integer(0...11), default: "11", help: "compression quality; 11 is the strongest and slowest"),
        OptionSpec(
            "window", .integer(10...24), default: "22",
            help: "log2 of the LZ77 window (lgwin); 22 is the library's BROTLI_DEFAULT_WINDOW"),
    ]

    /// The registry row; Builtins lists it.
    public static let entry = CompressorEntry(
        id: "brotli", displayName: "Brotli",
        summary: "libbrotli, one stream per document; its built-in dictionary favours text",
        options: options,
        library: { (name: "libbrotli", version: libraryVersion) },
        // Quality 0 and 1 take other encoder paths than 2..11; window 10 is the smallest.
        conformanceOptions: [["quality": "0"], ["quality": "1", "window": "10"], ["quality": "5", "window": "24"]],
        make: { options, _ in
            try BrotliCompressor(
                quality: options.integer("quality") ?? BrotliCompressor.defaultQuality,
                window: options.integer("window") ?? BrotliCompressor.defaultWindow)
        })

    /// The linked encoder's version, "major.minor.patch" (e.g. "1.0.9").
    ///
    /// libbrotli packs it as major << 24 | minor << 12 | patch. When the decoder library
    /// reports another version (two shared objects from different builds), both are shown.
    public static var libraryVersion: String {
        let encoder = unpack(BrotliEncoderVersion())
        let decoder = unpack(BrotliDecoderVersion())
        return encoder == decoder ? encoder : "\(encoder) (decoder \(decoder))"
    }

    private static func unpack(_ version: UInt32) -> String {
        "\(version >> 24).\((version >> 12) & 0xFFF).\(version & 0xFFF)"
    }
}
