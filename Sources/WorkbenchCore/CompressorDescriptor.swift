/// Everything a report needs to say which compressor produced a result, and how.
public struct CompressorDescriptor: Sendable, Codable, Equatable {
    /// Short, lowercase, stable CLI id (`zstd`, `bytepairs`); old reports cite it.
    public var id: String
    /// Human-readable name, e.g. "Zstandard".
    public var displayName: String
    /// The linked library's name ("libzstd"), or nil for pure-Swift compressors.
    public var libraryName: String?
    /// The linked library's version as the library reports it at run time, not at build time.
    public var libraryVersion: String?
    /// Every option with its resolved value (defaults filled in).
    public var options: [String: String]
    /// Number of distinct symbol values; every emitted symbol is below it.
    public var alphabetSize: Int
    /// True when symbols 0..255 may be raw bytes passed through uncompressed (the reference
    /// 9-bit format), so the proxy trainer maps them to raw-byte ids.
    public var passesRawBytesThrough: Bool
    /// True when `encode` reports which raw bytes each symbol covers.
    public var givesSpans: Bool
    /// One sentence on whether one symbol value can stand for several raw strings, and why (the
    /// paper's collisions): reports print it beside the collision statistics, so a row with none
    /// says whether that is by design.
    public var collisionNote: String?

    /// Creates a descriptor.
    public init(
        id: String, displayName: String, libraryName: String? = nil, libraryVersion: String? = nil,
        options: [String: String] = [:], alphabetSize: Int, passesRawBytesThrough: Bool = false,
        givesSpans: Bool = false, collisionNote: String? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.libraryName = libraryName
        self.libraryVersion = libraryVersion
        self.options = options
        self.alphabetSize = alphabetSize
        self.passesRawBytesThrough = passesRawBytesThrough
        self.givesSpans = givesSpans
        self.collisionNote = collisionNote
    }

    /// The canonical spec that rebuilds this compressor: `id:key=value,...`, keys sorted.
    public var spec: CompressorSpec { CompressorSpec(id: id, options: options) }

    enum CodingKeys: String, CodingKey {
        case id, displayName = "display_name", libraryName = "library_name"
        case libraryVersion = "library_version", options, alphabetSize = "alphabet_size"
        case passesRawBytesThrough = "passes_raw_bytes_through", givesSpans = "gives_spans", collisionNote = "collision_note"
    }
}
