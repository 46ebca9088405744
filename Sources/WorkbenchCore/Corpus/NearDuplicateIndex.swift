/// Finds documents that are near-copies of each other: MinHash over sampled 64-byte shingles,
/// with locality-sensitive hashing to find candidate pairs.
///
/// Method (Broder 1997, "On the resemblance and containment of documents"; bands as in Leskovec,
/// Rajaraman and Ullman, "Mining of Massive Datasets", chapter 3):
/// - every 64-byte window of a document is hashed with a rolling polynomial hash; a window is
///   kept when its hash is 0 modulo 8 (content-defined sampling: the same text keeps the same
///   windows wherever it sits, at an eighth of the cost);
/// - a document's signature is the minimum, over its kept windows, of 64 independent mixes of
///   the window hash; the share of equal components estimates the Jaccard similarity of the two
///   documents' window sets;
/// - signatures are cut into 16 bands of 4; documents that agree on a whole band are candidates,
///   and a candidate pair whose estimated Jaccard similarity is at least `threshold` (0.5 by
///   default: about two thirds of each document's windows shared) is a near-duplicate pair.
/// Near-duplicate pairs are joined transitively into clusters.
///
/// Documents shorter than 64 bytes, or with no kept window, have no signature and are never
/// near-duplicates of anything (the exact rule already keeps identical documents together).
public struct NearDuplicateIndex: Sendable {
    /// Bytes per shingle.
    public static let shingleBytes = 64
    /// One window in this many is kept (by its hash).
    public static let sampling: UInt64 = 8
    /// MinHash components.
    static let components = 64
    /// LSH bands (components / bands rows each).
    static let bands = 16

    /// Estimated Jaccard similarity from which two documents are near-duplicates.
    public let threshold: Double
    private var keys: [UInt64] = []
    private var signatures: [[UInt64]] = []

    /// An empty index.
    public init(threshold: Double = 0.5) { self.threshold = threshold }

    /// The rule these settings give, in words.
    public var ruleDescription: String {
        "near-duplicates together: documents whose sampled 64-byte shingles have estimated Jaccard similarity >= \(threshold) (MinHash, 64 components, LSH 16 bands x 4) form clusters; a cluster takes the split of its member with the smallest key under the exact rule (\(CorpusSplit.ruleDescription))"
    }

    /// Adds a document by its key (`CorpusSplit.key(of:)`). Documents with the same key are the
    /// same document and are added once.
    public mutating func add(key: UInt64, bytes: [UInt8]) {
        guard let signature = Self.signature(bytes) else { return }
        keys.append(key)
        signatures.append(signature)
    }

    /// The kept shingle hashes of a document (content-defined sample of its 64-byte windows).
    public static func sampledShingles(_ bytes: [UInt8]) -> [UInt64] {
        guard bytes.count >= shingleBytes else { return [] }
        // Rolling hash h = sum b_i * P^(n-1-i) mod 2^64 over the window, updated in O(1).
        let base: UInt64 = 0x100_0000_01B3
        var power: UInt64 = 1
        for _ in 0..<(shingleBytes - 1) { power = power &* base }
        var hash: UInt64 = 0
        var kept: [UInt64] = []
        kept.reserveCapacity(bytes.count / Int(sampling) + 1)
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<shingleBytes { hash = hash &* base &+ UInt64(b[i]) }
            var index = shingleBytes
            while true {
                let mixed = mix(hash)
                if mixed % sampling == 0 { kept.append(mixed) }
                guard index < b.count else { break }
                hash = (hash &- UInt64(b[index - shingleBytes]) &* power) &* base &+ UInt64(b[index])
                index += 1
            }
        }
        return kept
    }

    /// The MinHash signature, or nil when no window is kept.
    static func signature(_ bytes: [UInt8]) -> [UInt64]? {
        let shingles = sampledShingles(bytes)
        guard !shingles.isEmpty else { return nil }
        var minimums = [UInt64](repeating: .max, count: components)
        minimums.withUnsafeMutableBufferPointer { m in
            for shingle in shingles {
                for c in 0..<components {
                    let value = mix(shingle ^ salts[c])
                    if value < m[c] { m[c] = value }
                }
            }
        }
        return minimums
    }

    /// Independent salts of the MinHash components (fixed, so signatures are reproducible).
    private static let salts: [UInt64] = {
        var generator = SplitMix64(seed: 0x4E45_4152_4455_5053)
        return (0..<components).map { _ in generator.next() }
    }()

    /// A 64-bit finalizer (SplitMix64's) used as a hash family.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Clusters of two or more near-duplicate documents, as lists of keys.
    public func clusters() -> [[UInt64]] {
        var parent = Array(0..<keys.count)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        let rows = Self.components / Self.bands
        for band in 0..<Self.bands {
            var buckets: [[UInt64]: [Int]] = [:]
            for (index, signature) in signatures.enumerated() {
                buckets[Array(signature[band * rows..<(band + 1) * rows]), default: []].append(index)
            }
            for members in buckets.values where members.count > 1 {
                for (position, first) in members.enumerated() {
                    for second in members[(position + 1)...] {
                        let a = find(first), b = find(second)
                        guard a != b, Self.estimatedJaccard(signatures[first], signatures[second]) >= threshold else { continue }
                        parent[max(a, b)] = min(a, b)
                    }
                }
            }
        }
        var groups: [Int: [UInt64]] = [:]
        for index in keys.indices { groups[find(index), default: []].append(keys[index]) }
        return groups.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// The share of equal signature components.
    static func estimatedJaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var equal = 0
        for index in a.indices where a[index] == b[index] { equal += 1 }
        return Double(equal) / Double(a.count)
    }

    /// The split assignment that keeps every cluster in one split.
    public func assignment() -> SplitAssignment {
        var overrides: [UInt64: CorpusSplit] = [:]
        let found = clusters()
        for cluster in found {
            let split = CorpusSplit.assign(key: cluster[0])
            for key in cluster where CorpusSplit.assign(key: key) != split { overrides[key] = split }
        }
        return SplitAssignment(
            rule: ruleDescription, overrides: overrides, clusters: found.count,
            clusteredDocuments: found.reduce(0) { $0 + $1.count })
    }
}
