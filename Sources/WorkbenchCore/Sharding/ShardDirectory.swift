import Foundation

/// The output directory of a sharded run: `shard-R-of-N.*` outputs and `shard-R-of-N.done.json`
/// markers, possibly written by many processes on many machines (a shared file system).
public struct ShardDirectory: Sendable {
    /// The directory.
    public let path: String

    /// Creates the directory if needed.
    /// - Throws: `WorkbenchError` when it cannot be created.
    public init(path: String, create: Bool) throws(WorkbenchError) {
        self.path = path
        if create { try SystemWrite.makeDirectory(path) }
    }

    /// A file in the directory.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The world sizes that files in the directory were written for (from `shard-R-of-N` names,
    /// temporary files of killed shards included; lock files, which outlive their runs, not).
    public func worldSizesPresent() -> [Int: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var found: [Int: String] = [:]
        for name in names.sorted() where !name.hasSuffix(ShardLock.fileSuffix) {
            guard let (_, worldSize) = ShardDirectory.parseStem(name) else { continue }
            if found[worldSize] == nil { found[worldSize] = name }
        }
        return found
    }

    /// Refuses a relaunch with another N than the directory's files were written for.
    /// - Throws: `WorkbenchError` saying which N was used and what to do.
    public func checkWorldSize(_ worldSize: Int) throws(WorkbenchError) {
        let others = worldSizesPresent().filter { $0.key != worldSize }
        guard let (used, example) = others.min(by: { $0.key < $1.key }) else { return }
        throw WorkbenchError(
            "'\(path)' holds shards of a run with --world-size \(used) (\(example)), not \(worldSize); relaunch with --world-size \(used), or use a fresh --out directory"
        )
    }

    /// The verified marker of a shard, or nil with the reason it must be (re)done.
    /// - Throws: `WorkbenchError` when the marker belongs to another job.
    public func completedShard(
        _ assignment: ShardAssignment, job: String
    ) throws(WorkbenchError) -> (
        marker: ShardMarker?, problem: String?
    ) {
        let markerPath = file(ShardMarker.fileName(assignment))
        guard FileManager.default.fileExists(atPath: markerPath) else { return (nil, nil) }
        let marker: ShardMarker
        do {
            marker = try ShardMarker.load(from: markerPath)
        } catch {
            return (nil, error.message)
        }
        guard marker.job == job else {
            throw WorkbenchError(
                "\(markerPath) was written by another job (\(marker.job)), not this one (\(job)); use a fresh --out directory")
        }
        if let problem = marker.outputs.lazy.compactMap({ $0.mismatch(in: path) }).first {
            return (nil, "\(markerPath): \(problem)")
        }
        return (marker, nil)
    }

    /// Deletes a shard's marker (before redoing it) and temporary files left by killed processes.
    public func clear(_ assignment: ShardAssignment) {
        let manager = FileManager.default
        try? manager.removeItem(atPath: file(ShardMarker.fileName(assignment)))
        let names = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name.hasPrefix("." + assignment.stem + ".") && name.contains(".tmp-") {
            try? manager.removeItem(atPath: file(name))
        }
        // Companion folders (`shard-R-of-N.tokenizer/`) hold their own temporary files.
        for name in names where name.hasPrefix(assignment.stem + ".") {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: file(name), isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            for inner in (try? manager.contentsOfDirectory(atPath: file(name))) ?? [] where inner.contains(".tmp-") {
                try? manager.removeItem(atPath: file(name) + "/" + inner)
            }
        }
    }

    /// Writes a shard's marker (atomically, last).
    public func writeMarker(_ marker: ShardMarker) throws(WorkbenchError) {
        let assignment = try ShardAssignment(rank: marker.rank, worldSize: marker.worldSize)
        try AtomicFile.writeJSON(marker, to: file(ShardMarker.fileName(assignment)))
    }

    /// Every shard's verified marker, in rank order, for a merge.
    /// - Throws: `WorkbenchError` naming the missing or broken shards, or when the directory holds
    ///   no shards, shards of several world sizes, or shards of different jobs.
    public func completeShards() throws(WorkbenchError) -> [ShardMarker] {
        let sizes = worldSizesPresent()
        guard let worldSize = sizes.keys.first else {
            throw WorkbenchError("'\(path)' holds no shard-R-of-N files; give the --out directory of a sharded export or encode")
        }
        guard sizes.count == 1 else {
            let listed = sizes.keys.sorted().map { "\($0) (\(sizes[$0] ?? ""))" }.joined(separator: ", ")
            throw WorkbenchError("'\(path)' mixes shards of several --world-size values: \(listed); keep one run per directory")
        }
        var markers: [ShardMarker] = []
        var problems: [String] = []
        var missing: [Int] = []
        for rank in 0..<worldSize {
            let assignment = try ShardAssignment(rank: rank, worldSize: worldSize)
            let markerPath = file(ShardMarker.fileName(assignment))
            guard FileManager.default.fileExists(atPath: markerPath) else {
                missing.append(rank)
                continue
            }
            do {
                let marker = try ShardMarker.load(from: markerPath)
                if let problem = marker.outputs.lazy.compactMap({ $0.mismatch(in: path) }).first {
                    problems.append("\(assignment.stem): \(problem)")
                } else {
                    markers.append(marker)
                }
            } catch {
                problems.append(error.message)
            }
        }
        if !missing.isEmpty || !problems.isEmpty {
            var message = "cannot merge '\(path)': "
            if !missing.isEmpty {
                let names = missing.map { "shard-\($0)-of-\(worldSize)" }.joined(separator: ", ")
                message += "\(missing.count) of \(worldSize) shards are not complete (no marker): \(names)"
            }
            if !problems.isEmpty {
                message += (missing.isEmpty ? "" : "; ") + "broken shards: " + problems.joined(separator: "; ")
            }
            throw WorkbenchError(message + "; relaunch those ranks (complete ones are skipped), then merge again")
        }
        if let first = markers.first, let other = markers.first(where: { $0.job != first.job }) {
            throw WorkbenchError(
                "'\(path)': shard-\(other.rank)-of-\(worldSize) belongs to another job (\(other.job)) than shard-\(first.rank) (\(first.job))"
            )
        }
        return markers
    }

    /// `(rank, worldSize)` from a name containing `shard-R-of-N`.
    static func parseStem(_ name: String) -> (Int, Int)? {
        guard let range = name.range(of: "shard-") else { return nil }
        let rest = name[range.upperBound...]
        let rankDigits = rest.prefix { $0.isNumber }
        guard !rankDigits.isEmpty, let rank = Int(rankDigits) else { return nil }
        let afterRank = rest.dropFirst(rankDigits.count)
        guard afterRank.hasPrefix("-of-") else { return nil }
        let sizeDigits = afterRank.dropFirst(4).prefix { $0.isNumber }
        guard !sizeDigits.isEmpty, let worldSize = Int(sizeDigits) else { return nil }
        return (rank, worldSize)
    }
}
