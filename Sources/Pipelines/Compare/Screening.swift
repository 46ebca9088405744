import WorkbenchCore

/// Which per-compressor statistic, computed in seconds, ranks compressors the way an hour of
/// proxy training does: Spearman's rho of each statistic with the proxy's seed-paired gap to the
/// bytes-only model (mean over seeds), over the compressors that trained.
enum Screening {
    /// Compressors needed for a correlation worth stating.
    static let minimumCompressors = 4

    /// The statistics screened, by results.json name.
    static func statistics(_ row: CompressorResult) -> [(String, Double?)] {
        var values: [(String, Double?)] = [
            ("bytes_per_symbol", row.rate?.bytesPerSymbol),
            ("serialized_bits_per_raw_byte", row.rate?.serializedBitsPerRawByte),
            ("normalized_entropy", row.symbolUsage?.normalizedEntropy),
            ("values_used", row.symbolUsage.map { Double($0.valuesUsed) }),
            ("colliding_value_share", row.collisions?.collidingValueShare),
            ("colliding_occurrence_share", row.collisions?.collidingOccurrenceShare),
            ("mean_common_prefix_bytes", row.collisions.map { $0.meanCommonPrefixBytes ?? 0 }),
        ]
        for perturbation in Perturbation.allCases {
            values.append(("stability_" + perturbation.rawValue, row.stability?[perturbation.rawValue]?.mean))
        }
        return values
    }

    /// The correlations (sorted by |rho|, largest first), or why there are none.
    static func correlate(_ rows: [CompressorResult]) -> ([ScreeningRecord]?, String?) {
        let trained = rows.filter { $0.status == .ok && $0.proxy?.vsBaseline != nil }
        guard trained.count >= minimumCompressors else {
            return (
                nil,
                "screening needs at least \(minimumCompressors) trained compressors with a bytes-only baseline; this comparison trained \(trained.count)"
            )
        }
        var records: [ScreeningRecord] = []
        for (position, (name, _)) in statistics(trained[0]).enumerated() {
            let points = trained.compactMap { row -> ScreeningRecord.Point? in
                guard let value = statistics(row)[position].1, value.isFinite, let gap = row.proxy?.vsBaseline else { return nil }
                return ScreeningRecord.Point(spec: row.spec.description, statistic: value, gap: gap.difference, gapCI95: gap.ci95)
            }
            guard points.count >= minimumCompressors else { continue }
            let correlation = RankCorrelation(
                x: points.map(\.statistic), y: points.map(\.gap), seed: SplitMix64.seed(from: name))
            records.append(ScreeningRecord(statistic: name, correlation: correlation, points: points))
        }
        records.sort { abs($0.correlation.rho ?? 0) > abs($1.correlation.rho ?? 0) }
        return (
            records,
            records.isEmpty
                ? "no statistic was measured for \(minimumCompressors) or more trained compressors (run the stats stage)" : nil
        )
    }
}
