/// The table of compressors a workbench knows, looked up by id.
public struct CompressorRegistry: Sendable {
    /// Rows in display order.
    public private(set) var entries: [CompressorEntry]

    /// Creates a registry.
    /// - Precondition: ids are unique (a programming error in the Builtins table otherwise).
    public init(_ entries: [CompressorEntry]) {
        precondition(Set(entries.map(\.id)).count == entries.count, "duplicate compressor id in registry")
        self.entries = entries
    }

    /// Every id, in table order.
    public var ids: [String] { entries.map(\.id) }

    /// The row for an id.
    /// - Throws: `WorkbenchError` listing the known ids.
    public func entry(for id: String) throws(WorkbenchError) -> CompressorEntry {
        guard let entry = entries.first(where: { $0.id == id }) else {
            throw WorkbenchError("unknown compressor '\(id)'; known compressors: \(ids.joined(separator: ", "))")
        }
        return entry
    }

    /// Builds the compressor a spec names.
    /// - Throws: `WorkbenchError` for an unknown id or bad option; whatever the factory throws.
    public func makeCompressor(_ spec: CompressorSpec, context: CompressorBuildContext = .withoutCorpus) throws -> any Compressor
    {
        let entry = try entry(for: spec.id)
        let options = try ResolvedOptions(spec.options, specs: entry.options, compressor: spec.id)
        return try entry.make(options, context)
    }

    /// Parses a comma list of bare ids (`ac,bpe,zstd`) into specs with default options.
    public static func parseIDList(_ list: String) throws(WorkbenchError) -> [CompressorSpec] {
        var specs: [CompressorSpec] = []
        for part in list.split(separator: ",") {
            let spec = try CompressorSpec(parsing: String(part))
            guard spec.options.isEmpty else {
                throw WorkbenchError("--compressors takes bare ids; pass '\(part)' with --compressor SPEC instead")
            }
            specs.append(spec)
        }
        return specs
    }
}
