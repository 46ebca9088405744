import WorkbenchCore

/// The merge loop of `BPETrainer`: a symbol arena with per-pair counts and occurrence lists.
///
/// Positions index the arena; `next`/`previous` link the live symbols of a word (-1 at its ends).
/// Each pair has a count (sum of the weights of the words it occurs in, once per occurrence) and
/// the list of positions of its left symbol. Lists may hold stale positions (the pair has since
/// been merged away there): each is checked before use, which is cheaper than deleting.
struct MergeState {
    private var ids: [UInt32]
    private var weights: [Int32]

    init(ids: [UInt32], weights: [Int32]) {
        self.ids = ids
        self.weights = weights
    }

    consuming func run(
        vocabularySize: Int, tokens: inout [[UInt8]], tokenIDs: inout ByteStringTable, byteTokens: [UInt32],
        preTokenizer: PreTokenizer, log: (String) -> Void
    ) throws(WorkbenchError) -> BPEModel {
        // Take the arrays out of self so they are uniquely referenced: no copy below.
        var ids = self.ids
        let weights = self.weights
        self.ids = []
        self.weights = []
        let count = ids.count
        var merges: [BPEMerge] = []
        if count > 0 {
            ids.withUnsafeMutableBufferPointer { idsBuffer in
                weights.withUnsafeBufferPointer { weightsBuffer in
                    guard let idsP = idsBuffer.baseAddress, let weightsP = weightsBuffer.baseAddress else { return }
                    merges = Self.mergeLoop(
                        idsP: idsP, weightsP: weightsP, count: count, vocabularySize: vocabularySize, tokens: &tokens,
                        tokenIDs: &tokenIDs, log: log)
                }
            }
        }
        log("bpe: done, \(merges.count) merges, vocabulary \(tokens.count)")
        return try BPEModel(tokens: tokens, merges: merges, byteTokens: byteTokens, preTokenizer: preTokenizer)
    }

    /// Merges until the vocabulary is full or no pair is left; returns the merges in rank order.
    private static func mergeLoop(
        idsP: UnsafeMutablePointer<UInt32>, weightsP: UnsafePointer<Int32>, count: Int, vocabularySize: Int,
        tokens: inout [[UInt8]], tokenIDs: inout ByteStringTable, log: (String) -> Void
    ) -> [BPEMerge] {
        let nextP = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        let previousP = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        defer {
            nextP.deallocate()
            previousP.deallocate()
        }
        for index in 0..<count {
            let isSymbol = idsP[index] != ArenaSymbol.boundary
            let hasNext = isSymbol && index + 1 < count && idsP[index + 1] != ArenaSymbol.boundary
            let hasPrevious = isSymbol && index > 0 && idsP[index - 1] != ArenaSymbol.boundary
            nextP[index] = hasNext ? Int32(index + 1) : -1
            previousP[index] = hasPrevious ? Int32(index - 1) : -1
        }

        // Pair tables.
        var pairIndex = PairTable(minimumCapacity: 1 << 16)
        var pairKey: [UInt64] = []
        var pairCount: [Int64] = []
        var occurrences: [[Int32]] = []
        var pushedAt: [Int32] = []

        @inline(__always) func index(of key: UInt64) -> Int {
            let slot = pairIndex.findOrInsert(key)
            let stored = pairIndex[slot: slot]
            if stored != 0 { return Int(stored - 1) }
            pairKey.append(key)
            pairCount.append(0)
            occurrences.append([])
            pushedAt.append(-1)
            pairIndex[slot: slot] = UInt64(pairKey.count)
            return pairKey.count - 1
        }

        for position in 0..<count where nextP[position] >= 0 {
            let pair = index(of: PairTable.key(idsP[position], idsP[position + 1]))
            pairCount[pair] += Int64(weightsP[position])
            occurrences[pair].append(Int32(position))
        }

        var queue = BinaryHeap<MergeCandidate>()
        for pair in 0..<pairKey.count where pairCount[pair] > 0 {
            queue.push(MergeCandidate(count: pairCount[pair], key: pairKey[pair], pair: Int32(pair)))
        }
        log("bpe: \(pairKey.count) distinct pairs")

        var merges: [BPEMerge] = []
        var touched: [Int32] = []
        var step: Int32 = 0
        while tokens.count < vocabularySize {
            guard let top = queue.pop() else { break }
            let pair = Int(top.pair)
            let current = pairCount[pair]
            if top.count != current {
                if current > 0 { queue.push(MergeCandidate(count: current, key: top.key, pair: top.pair)) }
                continue
            }
            guard current > 0 else { break }
            step += 1
            let left = UInt32(truncatingIfNeeded: top.key >> 32)
            let right = UInt32(truncatingIfNeeded: top.key)

            // The new token, or the existing one with the same bytes.
            let merged = tokens[Int(left)] + tokens[Int(right)]
            var result = UInt32(tokens.count)
            merged.withUnsafeBufferPointer { bytes in
                let range = 0..<bytes.count
                let hash = ByteStringTable.hash(bytes, range)
                let found = tokenIDs.find(bytes, range, hash: hash)
                if found >= 0 {
                    result = UInt32(truncatingIfNeeded: tokenIDs[slot: found])
                } else {
                    _ = tokenIDs.insert(bytes, range, hash: hash, value: UInt64(result))
                }
            }
            if Int(result) == tokens.count { tokens.append(merged) }
            merges.append(BPEMerge(left: left, right: right, result: result))

            var positions = occurrences[pair]
            occurrences[pair] = []
            // Left to right within each word, as HuggingFace's `Word::merge` scans.
            if !isSorted(positions) { positions.sort() }
            touched.removeAll(keepingCapacity: true)
            var lastPosition: Int32 = -1
            for position32 in positions where position32 != lastPosition {
                lastPosition = position32
                let position = Int(position32)
                guard idsP[position] == left else { continue }
                let second = Int(nextP[position])
                guard second >= 0, idsP[second] == right else { continue }
                let weight = Int64(weightsP[position])
                let before = Int(previousP[position])
                if before >= 0 {
                    let old = index(of: PairTable.key(idsP[before], left))
                    pairCount[old] -= weight
                    let new = index(of: PairTable.key(idsP[before], result))
                    pairCount[new] += weight
                    occurrences[new].append(Int32(before))
                    if pushedAt[new] != step {
                        pushedAt[new] = step
                        touched.append(Int32(new))
                    }
                }
                idsP[position] = result
                idsP[second] = ArenaSymbol.dead
                let after = Int(nextP[second])
                nextP[position] = Int32(after)
                if after >= 0 {
                    previousP[after] = Int32(position)
                    let old = index(of: PairTable.key(right, idsP[after]))
                    pairCount[old] -= weight
                    let new = index(of: PairTable.key(result, idsP[after]))
                    pairCount[new] += weight
                    occurrences[new].append(Int32(position))
                    if pushedAt[new] != step {
                        pushedAt[new] = step
                        touched.append(Int32(new))
                    }
                }
            }
            pairCount[pair] = 0
            for new in touched where pairCount[Int(new)] > 0 {
                queue.push(MergeCandidate(count: pairCount[Int(new)], key: pairKey[Int(new)], pair: new))
            }
            if merges.count % 1000 == 0 { log("bpe: \(merges.count) merges, vocabulary \(tokens.count)") }
        }
        return merges
    }

    private static func isSorted(_ positions: [Int32]) -> Bool {
        positions.withUnsafeBufferPointer { buffer in
            var index = 1
            while index < buffer.count {
                if buffer[index] < buffer[index - 1] { return false }
                index += 1
            }
            return true
        }
    }
}

/// Marker values in the symbol arena.
enum ArenaSymbol {
    /// Separates words; never part of a pair.
    static let boundary = UInt32.max
    /// A symbol merged into its left neighbour.
    static let dead = UInt32.max - 1
}
