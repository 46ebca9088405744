import WorkbenchCore

/// Why a compressor shows no collisions: its plugin's one sentence (`collisionNote`), for every
/// row whose statistics found none or could not look (no spans).
enum CollisionNotes {
    static func rows(_ results: ComparisonResults, labels: ReportLabels) -> [(label: String, note: String)] {
        results.compressors.compactMap { row in
            guard row.symbolUsage != nil, (row.collisions?.collidingValues ?? 0) == 0,
                let note = row.descriptor?.collisionNote
            else { return nil }
            return (labels.label(row.spec), note)
        }
    }
}
