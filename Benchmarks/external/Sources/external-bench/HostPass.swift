import ExternalPluginHost
import WorkbenchCore

/// How the host side drives the plugin.
enum HostMode: String {
    /// `RateMeasurement`, what `compare`'s rate stage runs: each 256 KiB measurement batch is one
    /// request each way.
    case batched
    /// `encode` and `decode` once per document, one process round trip each (how `compare` ran
    /// before the host batched).
    case perDocument = "per-document"
}

/// One timed pass of the host side over every document.
struct HostPass {
    var encodeSeconds: Double
    var decodeSeconds: Double
    var symbols: Int
    /// SHA-256 over (8-byte little-endian length, symbols as bytes) of every encoding, as direct.py.
    var sha256: String
}

/// Runs host passes with one plugin manifest and options. Every pass builds fresh compressor
/// instances, as `compare` does for each timed phase; they share one plugin process, started and
/// self-tested before the first pass, as direct.py's interpreter has started before it times.
struct HostSide {
    var manifest: PluginManifest
    var options: ResolvedOptions
    var documents: [CorpusDocument]
    var mode: HostMode

    func fresh() throws -> ExternalCompressor { try ExternalCompressor(manifest: manifest, options: options) }

    /// One pass; every round trip is verified outside the clock. A batched pass is the first,
    /// verified, pass of `RateMeasurement`, which times the same calls as its later passes.
    func pass() throws -> HostPass {
        var digest = SHA256()
        func hash(_ encoded: EncodedDocument) {
            withUnsafeBytes(of: UInt64(encoded.symbolCount).littleEndian) { digest.update($0) }
            digest.update(encoded.symbols.map { UInt8(truncatingIfNeeded: $0) })
        }
        switch mode {
        case .batched:
            let measurement = RateMeasurement(passes: 1, freshInstance: { try fresh() })
            let outcome = try measurement.run(try fresh(), on: documents) { _, encoded in hash(encoded) }
            guard outcome.roundTrip.failures == 0 else {
                throw WorkbenchError("round trip failed: \(outcome.roundTrip.firstFailure ?? "?")")
            }
            return HostPass(
                encodeSeconds: outcome.speed.encodeSeconds[0], decodeSeconds: outcome.speed.decodeSeconds[0],
                symbols: outcome.rate.symbols, sha256: SHA256.hex(digest.finalize()))
        case .perDocument:
            let (encoder, decoder) = (try fresh(), try fresh())
            var start = Clock.now
            let encoded = try documents.map { try encoder.encode($0.bytes) }
            let encodeSeconds = Clock.seconds(since: start)
            start = Clock.now
            let decoded = try zip(encoded, documents).map { try decoder.decode($0, maxOutputBytes: $1.bytes.count) }
            let decodeSeconds = Clock.seconds(since: start)
            guard decoded == documents.map(\.bytes) else { throw WorkbenchError("round trip failed") }
            encoded.forEach(hash)
            return HostPass(
                encodeSeconds: encodeSeconds, decodeSeconds: decodeSeconds,
                symbols: encoded.reduce(0) { $0 + $1.symbolCount }, sha256: SHA256.hex(digest.finalize()))
        }
    }
}
