/// The table of compressors a workbench knows, looked up by id.
public struct CompressorRegistry: Sendable {
    /// Rows in display order.
    public private(set) var entries: [CompressorEntry]
    /// Ids of compressors that were found but cannot be used (a broken plugin manifest), with why.
    /// Asking for one fails with its reason; every other compressor stays usable.
    public private(set) var unavailable: [String: String]

    /// Creates a registry.
    /// - Parameter unavailable: ids that are known but unusable, each with the reason a request
    ///   for it fails with (an id that also has a row is served by the row).
    /// - Precondition: ids are unique (a programming error in the Builtins table otherwise).
    public init(_ entries: [CompressorEntry], unavailable: [String: String] = [:]) {
        precondition(Set(entries.map(\.id)).count == entries.count, "duplicate compressor id in registry")
        self.entries = entries
        self.unavailable = unavailable
    }

    /// Every id, in table order.
    public var ids: [String] { entries.map(\.id) }

    /// The row for an id.
    /// - Throws: `WorkbenchError` with the reason for an unavailable id, else listing the known ids.
    public func entry(for id: String) throws(WorkbenchError) -> CompressorEntry {
        guard let entry = entries.first(where: { $0.id == id }) else {
            if let reason = unavailable[id] { throw WorkbenchError("compressor '\(id)' cannot be used: \(reason)") }
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
