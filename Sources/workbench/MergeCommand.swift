import ArgumentParser
import Foundation
import Pipelines
import WorkbenchCore

/// `workbench merge`: joins the shards of a sharded `encode` or `export` into one output.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shard-R-of-N outputs of a sharded encode or export into one result.",
        discussion: """
            Every shard 0 ..< N must be complete: its marker present and every output's size and SHA-256 as \
            recorded; otherwise merge refuses and names the missing or broken shards. Main outputs are \
            concatenated in rank order, token-array offsets are rebased, header counts are summed, so the result \
            is byte-identical to an unsharded run with the same --out.
            """)

    @Argument(help: ArgumentHelp("The shard directory (the --out of the sharded runs).", valueName: "dir"))
    var directory: String

    @Option(
        name: .customLong("out"),
        help: ArgumentHelp("Output: the file (encode) or prefix (export) an unsharded run would be given.", valueName: "path"))
    var output: String

    func run() throws {
        let counts = try ShardMerge.merge(directory: directory, into: output)
        log.info(
            "merged the shards of \(directory): \(counts.documents) documents, \(counts.rawBytes) bytes, \(counts.symbols) symbols, \(counts.skippedLines) lines skipped"
        )
    }
}
