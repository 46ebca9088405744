import CZlib
import WorkbenchCore

/// The `gzip` row of the plugin table: deflate through the system zlib.
public enum GzipPlugin {
    /// The options `gzip:level=9,container=gzip` accepts.
    public static let options: [OptionSpec] = [
        OptionSpec("level", .integer(1...9), default: "9", help: "deflate level; 9 is the strongest"),
        OptionSpec(
            "container", .choice(DeflateContainer.allCases.map(\.rawValue)), default: "gzip",
            help: "gzip (RFC 1952, mtime 0, as Python's gzip.compress(mtime=0)), zlib (RFC 1950) or raw deflate (RFC 1951)"),
    ]

    /// The registry row; Builtins lists it.
    public static let entry = CompressorEntry(
        id: "gzip", displayName: "gzip (deflate)",
        summary: "zlib deflate, one deterministic gzip member per document (the reference code's gzip_no_mtime)",
        options: options,
        library: { (name: "zlib", version: libraryVersion) },
        // Every wrapper, and level 1 (zlib's fast deflate path).
        conformanceOptions: [["container": "zlib"], ["container": "raw"], ["level": "1"]],
        make: { options, _ in
            try GzipCompressor(
                level: options.integer("level") ?? GzipCompressor.defaultLevel,
                container: options.text("container").flatMap(DeflateContainer.init(rawValue:)) ?? .gzip)
        })

    /// The linked zlib's version as it reports itself at run time, e.g. "1.2.13".
    public static var libraryVersion: String { String(cString: zlibVersion()) }
}
