import Foundation
import WorkbenchCore

/// Encodes documents with a frozen `BPEModel` and decodes token ids back to bytes.
///
/// Encoding pre-tokenizes the document into words, then turns each word into tokens by applying
/// merges lowest rank first, leftmost first (HuggingFace's and tiktoken's rule), caching the
/// tokens of every word seen. Thread-safe: there is one cache per core, each under a lock; a caller
/// takes the first free one (a caller that finds them all taken uses a private cache for that call
/// instead of waiting), so concurrent callers never block each other, each finds a warm cache,
/// and all get the same ids.
public final class BPETokenizer: @unchecked Sendable {
    /// The model this tokenizer runs.
    public let model: BPEModel
    /// `left << 32 | right` -> `rank << 32 | result`.
    private let pairs: PairTable
    /// All token bytes back to back, and where each token starts (count + 1 offsets).
    private let tokenArena: [UInt8]
    private let tokenOffsets: [Int]
    private let byteTokens: [UInt32]
    /// Whole tokens by their bytes, only when the model ignores merges for known words.
    private let wholeTokens: ByteStringTable?
    /// Why one per core: with a single shared cache, a second concurrent caller coded every word
    /// of its document from scratch, and `--jobs 2` spent 10-20% more CPU than `--jobs 1`.
    private let caches = (0..<max(2, ProcessInfo.processInfo.activeProcessorCount)).map { _ in WordCache() }

    /// Words longer than this are encoded without the cache (pure BPE documents, long runs).
    static let longestCachedWord = 256
    /// A cache is emptied when its arena passes this many bytes, bounding memory.
    static let cacheByteLimit = 64 << 20

    /// Builds the lookup tables for `model`.
    /// - Complexity: O(vocabulary + merges).
    public init(model: BPEModel) {
        self.model = model
        var pairs = PairTable(minimumCapacity: model.merges.count)
        for (rank, merge) in model.merges.enumerated() {
            // Subtle: a pair listed twice keeps its later rank, as HuggingFace's HashMap insert does.
            pairs.set(UInt64(rank) << 32 | UInt64(merge.result), for: PairTable.key(merge.left, merge.right))
        }
        self.pairs = pairs
        var arena: [UInt8] = []
        var offsets: [Int] = [0]
        offsets.reserveCapacity(model.tokens.count + 1)
        for token in model.tokens {
            arena.append(contentsOf: token)
            offsets.append(arena.count)
        }
        tokenArena = arena
        tokenOffsets = offsets
        byteTokens = model.byteTokens
        if model.ignoresMerges {
            var table = ByteStringTable(minimumCapacity: model.tokens.count)
            for (id, token) in model.tokens.enumerated() where !token.isEmpty && token.count <= ByteStringTable.maximumLength {
                token.withUnsafeBufferPointer { bytes in
                    let range = 0..<bytes.count
                    let hash = ByteStringTable.hash(bytes, range)
                    if table.find(bytes, range, hash: hash) < 0 {
                        _ = table.insert(bytes, range, hash: hash, value: UInt64(id))
                    }
                }
            }
            wholeTokens = table
        } else {
            wholeTokens = nil
        }
    }

    /// Number of token ids.
    public var vocabularySize: Int { model.tokens.count }

    // MARK: Encoding

    /// The token ids of a document.
    /// - Complexity: O(n) for cached words; a new word of length m costs O(m^2) when short and
    ///   O(m log m) when long.
    public func encode(_ document: [UInt8]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(document.count / 3 + 1)
        for cache in caches where cache.lock.try() {
            defer { cache.lock.unlock() }
            encodeWords(document, &out, &cache.storage)
            return out
        }
        var local = WordCache.Storage()
        encodeWords(document, &out, &local)
        return out
    }

    private func encodeWords(_ document: [UInt8], _ out: inout [UInt32], _ cache: inout WordCache.Storage) {
        let preTokenizer = model.preTokenizer
        if cache.table.arena.count > Self.cacheByteLimit { cache.removeAll() }
        document.withUnsafeBufferPointer { bytes in
            ScalarReader.asciiClass.withUnsafeBufferPointer { ascii in
                var start = 0
                while start < bytes.count {
                    let end = preTokenizer.wordEnd(bytes, start, ascii)
                    let length = end - start
                    if length == 1 {
                        out.append(byteTokens[Int(bytes[start])])
                    } else if length > Self.longestCachedWord {
                        mergeWord(bytes, start..<end, &out)
                    } else {
                        let range = start..<end
                        let hash = ByteStringTable.hash(bytes, range)
                        let slot = cache.table.find(bytes, range, hash: hash)
                        if slot >= 0 {
                            let location = cache.table[slot: slot]
                            let idStart = Int(location >> 24)
                            let idCount = Int(location & 0xFF_FFFF)
                            cache.ids.withUnsafeBufferPointer { ids in
                                out.append(contentsOf: UnsafeBufferPointer(rebasing: ids[idStart..<(idStart + idCount)]))
                            }
                        } else {
                            let before = out.count
                            mergeWord(bytes, range, &out)
                            let idStart = cache.ids.count
                            cache.ids.append(contentsOf: out[before...])
                            let location = UInt64(idStart) << 24 | UInt64(out.count - before)
                            _ = cache.table.insert(bytes, range, hash: hash, value: location)
                        }
                    }
                    start = end
                }
            }
        }
    }

    /// Appends the tokens of one word.
    private func mergeWord(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ out: inout [UInt32]) {
        if let wholeTokens {
            let slot = wholeTokens.find(bytes, range, hash: ByteStringTable.hash(bytes, range))
            if slot >= 0 {
                out.append(UInt32(truncatingIfNeeded: wholeTokens[slot: slot]))
                return
            }
        }
        if range.count <= 64 {
            mergeShortWord(bytes, range, &out)
        } else {
            mergeLongWord(bytes, range, &out)
        }
    }

    /// Quadratic merge for short words: scan for the lowest-ranked adjacent pair, merge, repeat.
    private func mergeShortWord(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ out: inout [UInt32]) {
        let none = UInt64.max
        var parts = range.map { byteTokens[Int(bytes[$0])] }
        var ranks = [UInt64](repeating: none, count: parts.count)
        for index in 0..<(parts.count - 1) {
            ranks[index] = pairs.value(for: PairTable.key(parts[index], parts[index + 1])) ?? none
        }
        while true {
            var best = none
            var bestIndex = -1
            for index in 0..<(parts.count - 1) where ranks[index] < best {
                best = ranks[index]
                bestIndex = index
            }
            if bestIndex < 0 { break }
            parts[bestIndex] = UInt32(truncatingIfNeeded: best)
            parts.remove(at: bestIndex + 1)
            ranks.remove(at: bestIndex + 1)
            if bestIndex + 1 < parts.count {
                ranks[bestIndex] = pairs.value(for: PairTable.key(parts[bestIndex], parts[bestIndex + 1])) ?? none
            } else {
                ranks[bestIndex] = none
            }
            if bestIndex > 0 {
                ranks[bestIndex - 1] = pairs.value(for: PairTable.key(parts[bestIndex - 1], parts[bestIndex])) ?? none
            }
        }
        out.append(contentsOf: parts)
    }

    /// O(m log m) merge for long words: a linked list of symbols and a heap of (rank, position),
    /// with stale heap entries skipped when popped (HuggingFace's `Word::merge_all`).
    private func mergeLongWord(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ out: inout [UInt32]) {
        let count = range.count
        var ids = range.map { byteTokens[Int(bytes[$0])] }
        var next = (0..<count).map { $0 + 1 < count ? Int32($0 + 1) : -1 }
        var previous = (0..<count).map { Int32($0 - 1) }
        var alive = [Bool](repeating: true, count: count)
        var heap = BinaryHeap<UInt64>(capacity: count)
        let pairs = self.pairs
        for index in 0..<(count - 1) {
            if let found = pairs.value(for: PairTable.key(ids[index], ids[index + 1])) {
                heap.push((found & 0xFFFF_FFFF_0000_0000) | UInt64(index))
            }
        }
        while let top = heap.pop() {
            let position = Int(top & 0xFFFF_FFFF)
            let rank = top >> 32
            guard alive[position] else { continue }
            let right = Int(next[position])
            guard right >= 0, let found = pairs.value(for: PairTable.key(ids[position], ids[right])), found >> 32 == rank
            else { continue }
            ids[position] = UInt32(truncatingIfNeeded: found)
            alive[right] = false
            let after = next[right]
            next[position] = after
            if after >= 0 { previous[Int(after)] = Int32(position) }
            let before = Int(previous[position])
            if before >= 0, let left = pairs.value(for: PairTable.key(ids[before], ids[position])) {
                heap.push((left & 0xFFFF_FFFF_0000_0000) | UInt64(before))
            }
            if after >= 0, let rightPair = pairs.value(for: PairTable.key(ids[position], ids[Int(after)])) {
                heap.push((rightPair & 0xFFFF_FFFF_0000_0000) | UInt64(position))
            }
        }
        var position = 0
        while position >= 0 {
            out.append(ids[position])
            position = Int(next[position])
        }
    }

    /// The byte spans of the tokens `ids` (one span per token, symbols `i..<i+symbolsPerToken`).
    public func spans(of ids: [UInt32], symbolsPerToken: Int = 1) -> [SymbolSpan] {
        var spans: [SymbolSpan] = []
        spans.reserveCapacity(ids.count)
        var offset = 0
        tokenOffsets.withUnsafeBufferPointer { offsets in
            for (index, id) in ids.enumerated() {
                let length = offsets[Int(id) + 1] - offsets[Int(id)]
                spans.append(
                    SymbolSpan(
                        symbols: (index * symbolsPerToken)..<((index + 1) * symbolsPerToken),
                        bytes: offset..<(offset + length)))
                offset += length
            }
        }
        return spans
    }

    // MARK: Decoding

    /// The bytes of a sequence of token ids.
    /// - Throws: `CodecError` for an id outside the vocabulary, or output beyond `maxOutputBytes`.
    public func decode<IDs: Sequence>(_ ids: IDs, maxOutputBytes: Int, compressor: String) throws(CodecError) -> [UInt8]
    where IDs.Element == UInt32 {
        var out: [UInt8] = []
        let vocabulary = UInt32(truncatingIfNeeded: tokenOffsets.count - 1)
        for (index, id) in ids.enumerated() {
            guard id < vocabulary else {
                throw CodecError(
                    .symbolOutOfRange, compressor: compressor,
                    "token id \(id) at index \(index) is not below the vocabulary size \(vocabulary)")
            }
            let start = tokenOffsets[Int(id)]
            let end = tokenOffsets[Int(id) + 1]
            guard out.count + (end - start) <= maxOutputBytes else {
                throw CodecError(
                    .outputLimitExceeded, compressor: compressor,
                    "decoding exceeds the limit of \(maxOutputBytes) bytes at token \(index)")
            }
            out.append(contentsOf: tokenArena[start..<end])
        }
        return out
    }
}
