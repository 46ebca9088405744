import Foundation
import WorkbenchCore

/// Learns a byte-level BPE model from documents.
///
/// The algorithm (Sennrich et al. 2016, in the form of HuggingFace tokenizers' `BpeTrainer`):
/// 1. Pre-tokenize every document and count distinct words (both cores, one table per half).
///    Memory is bounded by the distinct words, not the corpus. With `none` each document is one word.
/// 2. Lay every distinct word out as a doubly linked list of symbols in one arena, count every
///    adjacent pair weighted by its word's count, and keep per pair the positions where it occurs.
/// 3. Repeatedly take the best pair from a priority queue, merge it at each recorded position
///    (left to right, so overlapping pairs like `a a a` merge as `aa a`), and update the counts of
///    only the neighbouring pairs that change: the corpus is never recounted. Queue entries whose
///    count has changed since they were pushed are re-pushed with the current count when popped.
///
/// Tie-break rule (HuggingFace's, so merge lists can match): the pair with the highest count wins;
/// among equal counts, the pair whose (left id, right id) is smallest, compared left id first.
/// Ids 0..<256 are the single bytes in the order of their ByteLevel spelling's code point
/// (`ByteLevelAlphabet.bytesInTrainerOrder`), and each merge gets the next id, as in HuggingFace,
/// so the same corpus gives the same merges. A merge whose bytes already form a token (`ab c`
/// after `a bc`) reuses that token's id and does not grow the vocabulary, as HuggingFace does.
/// The output is deterministic: it depends only on the documents and options.
public struct BPETrainer: Sendable {
    /// Target number of tokens, including the 256 single bytes (at least 257).
    public var vocabularySize: Int
    /// How documents are cut into words.
    public var preTokenizer: PreTokenizer
    /// Whether to count words on two threads.
    public var usesBothCores: Bool

    /// Creates a trainer.
    public init(vocabularySize: Int, preTokenizer: PreTokenizer, usesBothCores: Bool = true) {
        self.vocabularySize = vocabularySize
        self.preTokenizer = preTokenizer
        self.usesBothCores = usesBothCores
    }

    /// Trains on `documents`.
    /// - Returns: a model with at most `vocabularySize` tokens (fewer when the corpus runs out of
    ///   pairs that occur at least once).
    /// - Throws: `WorkbenchError` when the corpus is too large for 32-bit positions.
    /// - Complexity: O(corpus bytes) to count words, then O(P log P) for P pair updates.
    public func train(_ documents: [[UInt8]], log: (String) -> Void = { _ in }) throws(WorkbenchError) -> BPEModel {
        let words = countWords(documents)
        log("bpe: \(words.count) distinct words, \(words.symbolCount) symbols")
        return try merge(words, log: log)
    }

    // MARK: Word counting

    /// Distinct words with their counts, in first-seen order.
    struct WordCounts {
        /// For `none`: the documents themselves (each counted once).
        var documents: [[UInt8]] = []
        /// For pre-tokenized corpora: distinct words and their counts in `value`.
        var table = ByteStringTable(minimumCapacity: 1 << 16)
        var count: Int { documents.isEmpty ? table.count : documents.count }
        var symbolCount: Int { documents.isEmpty ? table.arena.count : documents.reduce(0) { $0 + $1.count } }
    }

    func countWords(_ documents: [[UInt8]]) -> WordCounts {
        var counts = WordCounts()
        if preTokenizer == .none {
            counts.documents = documents
            return counts
        }
        if !usesBothCores || documents.count < 2 {
            count(documents[...], into: &counts.table)
            return counts
        }
        // Cut at the half-way byte, not the half-way document, so both threads get equal work.
        let total = documents.reduce(0) { $0 + $1.count }
        var cut = 0
        var seen = 0
        while cut < documents.count - 1, seen + documents[cut].count <= total / 2 {
            seen += documents[cut].count
            cut += 1
        }
        let halves = [documents[..<cut], documents[cut...]]
        let results = TableBox(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            var table = ByteStringTable(minimumCapacity: 1 << 15)
            count(halves[half], into: &table)
            results.store(half, table)
        }
        var first = results.take(0)
        let second = results.take(1)
        second.arena.withUnsafeBufferPointer { arena in
            for slot in second.order {
                let range = second.stringRange(slot: Int(slot))
                let hash = ByteStringTable.hash(arena, range)
                let found = first.find(arena, range, hash: hash)
                if found >= 0 {
                    first[slot: found] += second[slot: Int(slot)]
                } else {
                    _ = first.insert(arena, range, hash: hash, value: second[slot: Int(slot)])
                }
            }
        }
        counts.table = first
        return counts
    }

    private func count(_ documents: ArraySlice<[UInt8]>, into table: inout ByteStringTable) {
        let preTokenizer = self.preTokenizer
        for document in documents {
            document.withUnsafeBufferPointer { bytes in
                ScalarReader.asciiClass.withUnsafeBufferPointer { ascii in
                    var start = 0
                    while start < bytes.count {
                        let end = preTokenizer.wordEnd(bytes, start, ascii)
                        let range = start..<end
                        let hash = ByteStringTable.hash(bytes, range)
                        let slot = table.find(bytes, range, hash: hash)
                        if slot >= 0 {
                            table[slot: slot] += 1
                        } else if range.count <= ByteStringTable.maximumLength {
                            _ = table.insert(bytes, range, hash: hash, value: 1)
                        }
                        // Subtle: a single pre-token over 16 MB (a 16 MB run of letters) is left out
                        // of training; it can still be encoded, from its bytes.
                        start = end
                    }
                }
            }
        }
    }

    // MARK: Merging

    func merge(_ words: WordCounts, log: (String) -> Void) throws(WorkbenchError) -> BPEModel {
        // Base vocabulary: the 256 bytes in HuggingFace's order.
        var tokens: [[UInt8]] = ByteLevelAlphabet.bytesInTrainerOrder.map { [$0] }
        var byteTokens = [UInt32](repeating: 0, count: 256)
        for (id, byte) in ByteLevelAlphabet.bytesInTrainerOrder.enumerated() { byteTokens[Int(byte)] = UInt32(id) }
        var tokenIDs = ByteStringTable(minimumCapacity: vocabularySize)
        for (id, token) in tokens.enumerated() {
            token.withUnsafeBufferPointer { bytes in
                _ = tokenIDs.insert(bytes, 0..<1, hash: ByteStringTable.hash(bytes, 0..<1), value: UInt64(id))
            }
        }

        // The symbol arena: every word of two or more bytes as a linked list.
        let symbolTotal = words.symbolCount
        guard symbolTotal < Int(Int32.max) else {
            throw WorkbenchError(
                "bpe: \(symbolTotal) distinct-word bytes is more than 2^31; train on a sample of the corpus")
        }
        var ids = [UInt32]()
        var weights = [Int32]()
        ids.reserveCapacity(symbolTotal)
        weights.reserveCapacity(symbolTotal)
        func layOut(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ count: UInt64) {
            guard range.count >= 2 else { return }
            let weight = Int32(clamping: count)
            for index in range {
                ids.append(byteTokens[Int(bytes[index])])
                weights.append(weight)
            }
            // Subtle: a word's last symbol is followed by a boundary marker so that `next` can be
            // derived from position alone at the start; see the linking loop below.
            ids.append(ArenaSymbol.boundary)
            weights.append(0)
        }
        if words.documents.isEmpty {
            words.table.arena.withUnsafeBufferPointer { arena in
                for slot in words.table.order {
                    layOut(arena, words.table.stringRange(slot: Int(slot)), words.table[slot: Int(slot)])
                }
            }
        } else {
            for document in words.documents {
                document.withUnsafeBufferPointer { layOut($0, 0..<$0.count, 1) }
            }
        }
        let state = MergeState(ids: ids, weights: weights)
        ids = []
        weights = []
        return try state.run(
            vocabularySize: vocabularySize, tokens: &tokens, tokenIDs: &tokenIDs, byteTokens: byteTokens,
            preTokenizer: preTokenizer, log: log)
    }
}
