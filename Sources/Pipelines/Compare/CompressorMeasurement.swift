import Foundation
import WorkbenchCore

/// The rate and statistics stages for one compressor: build, encode, verify, time, then symbol
/// usage, collisions and stability. Any failure becomes a failed row with its reason.
///
/// One pass over the documents feeds everything: the rate, the statistics counters and the
/// stability sample, so a streamed split is never held in memory.
public struct CompressorMeasurement {
    /// Where compressors are built from specs.
    public var registry: CompressorRegistry
    /// Timed passes over the documents (the median is reported).
    public var passes: Int

    /// What the statistics stage needs besides the documents.
    public struct StatisticsPlan: Sendable, Equatable, Codable {
        /// Documents in the seeded stability sample.
        public var stabilityDocuments: Int
        /// Each sampled document is cut to this many bytes.
        public var stabilityMaxBytes: Int
        /// Seed of the sample and the perturbations.
        public var seed: UInt64

        /// Creates a plan.
        public init(stabilityDocuments: Int, stabilityMaxBytes: Int, seed: UInt64) {
            self.stabilityDocuments = stabilityDocuments
            self.stabilityMaxBytes = stabilityMaxBytes
            self.seed = seed
        }

        enum CodingKeys: String, CodingKey {
            case stabilityDocuments = "stability_documents", stabilityMaxBytes = "stability_max_bytes", seed
        }
    }

    /// A measurement that builds compressors from `registry`.
    public init(registry: CompressorRegistry, passes: Int) {
        self.registry = registry
        self.passes = passes
    }

    /// Measures one compressor on `documents`: never throws; a failure is a failed row.
    public func measure(
        _ spec: CompressorSpec, documents: some DocumentSource, context: CompressorBuildContext,
        statistics: StatisticsPlan?, progress: ProgressReporter
    ) -> CompressorResult {
        var compressor: (any Compressor)?
        do {
            progress.begin("\(spec.id): build")
            let built = try registry.makeCompressor(spec, context: context)
            compressor = built
            progress.begin("\(spec): encode, verify, time")  // the spec as asked: short
            let fresh = { () throws -> any Compressor in try registry.makeCompressor(spec, context: context) }
            let alphabetSize = built.descriptor.alphabetSize
            // The statistics are gathered during the rate stage's first pass (nil: not asked for).
            var usage = statistics.map { _ in SymbolUsage.Counter(alphabetSize: alphabetSize) }
            var collisions = statistics != nil && built.descriptor.givesSpans ? CollisionStatistics.Counter() : nil
            var sampler = statistics.map {
                Stability.Sampler(count: $0.stabilityDocuments, maxBytes: $0.stabilityMaxBytes, seed: $0.seed)
            }
            let outcome = try RateMeasurement(passes: passes, freshInstance: fresh) { done, total in
                progress.update(done, of: total)
            }
            .run(built, on: documents) { document, encoded in
                usage?.add(encoded.symbols)
                collisions?.add(document.bytes, encoded)
                sampler?.offer(document.bytes)
            }
            let failed = outcome.roundTrip.failures > 0
            progress.end(
                failed
                    ? "ROUND TRIP FAILED on \(outcome.roundTrip.failures) documents"
                    : String(format: "%.3f bytes/symbol, ", outcome.rate.bytesPerSymbol ?? 0)
                        + "\(Self.speed(outcome.speed.encodeMBPerSecond)) encode, \(Self.speed(outcome.speed.decodeMBPerSecond)) decode"
            )
            var row = CompressorResult(
                id: spec.id, spec: built.descriptor.spec, descriptor: built.descriptor,
                status: failed ? .failed : .ok,
                error: failed
                    ? "round trip failed on \(outcome.roundTrip.failures) of \(outcome.roundTrip.documents) documents; first: \(outcome.roundTrip.firstFailure ?? "?")"
                    : nil,
                rate: outcome.rate, roundTrip: outcome.roundTrip, speed: outcome.speed)
            if let sampler, let statistics, !failed {
                progress.begin("\(spec): statistics")
                row.symbolUsage = usage?.usage
                row.collisions = collisions?.statistics()
                // The same documents and edits in every child: sampled and perturbed with one seed.
                let perturbed = Stability.perturbations(of: sampler.sample, seed: statistics.seed)
                let summaries = try Stability.measure(built, sample: sampler.sample, perturbed: perturbed)
                row.stability = Dictionary(uniqueKeysWithValues: summaries.map { ($0.key.rawValue, $0.value) })
                progress.end(
                    String(
                        format: "entropy %.2f bits/symbol, stability (delete 10%%) %.3f",
                        row.symbolUsage?.entropyBits ?? 0, summaries[.deleteTenPercent]?.mean ?? 0))
            }
            return row
        } catch {
            progress.end("FAILED: \(error)")
            return CompressorResult(
                id: spec.id, spec: compressor?.descriptor.spec ?? spec,
                descriptor: compressor?.descriptor, status: .failed, error: "\(error)")
        }
    }

    /// A speed in MB/s, or KB/s below 1 MB/s (a neural coder runs at kilobytes per second).
    public static func speed(_ megabytesPerSecond: Double) -> String {
        megabytesPerSecond >= 1
            ? String(format: "%.1f MB/s", megabytesPerSecond) : String(format: "%.1f KB/s", megabytesPerSecond * 1000)
    }
}
