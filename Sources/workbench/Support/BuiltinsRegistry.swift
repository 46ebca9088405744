import Builtins
import ExternalPluginHost
import Foundation
import Pipelines
import WorkbenchCore

/// The registry every command uses: the Builtins table plus the external plugins found in
/// `plugins/external` (beside the shipped corpus) and in every `--plugins-dir`.
///
/// `--plugins-dir` is passed on through `WORKBENCH_PLUGINS_DIR` (colon-separated), so the child
/// processes `compare` starts see the same plugins.
enum BuiltinsRegistry {
    static let environmentKey = "WORKBENCH_PLUGINS_DIR"

    /// Builds the registry on first use.
    static var shared: CompressorRegistry {
        get throws {
            if let cached = cache.value { return cached }
            let registry = try build()
            cache.value = registry
            return registry
        }
    }

    /// The compressor `spec` names (nil: none, bytes only), trained if it learns on `training`.
    static func makeCompressor(_ spec: String?, training: [[UInt8]], corpusSHA256: String) throws -> (any Compressor)? {
        guard let spec else { return nil }
        let context = TrainingContext.make(.documents(training, corpusSHA256: corpusSHA256))
        return try shared.makeCompressor(try CompressorSpec(parsing: spec), context: context)
    }

    private static func build() throws -> CompressorRegistry {
        var defaults: [String] = []
        if let root = RepositoryLocator.root() { defaults.append(ExternalPlugins.defaultDirectory(repositoryRoot: root)) }
        let extra = (ProcessInfo.processInfo.environment[environmentKey] ?? "").split(separator: ":").map(String.init)
        return try ExternalPlugins.registry(Builtins.registry, searching: defaults, given: extra) { log.warning("\($0)") }
    }

    private final class Cache: @unchecked Sendable { var value: CompressorRegistry? }
    private static let cache = Cache()
}
