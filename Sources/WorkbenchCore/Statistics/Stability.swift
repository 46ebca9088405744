/// How far a compressor's output moves under small input edits: the normalized edit distance
/// between the encoding of a document and of a perturbed copy, over a seeded sample.
public enum Stability {
    /// Mean and spread of normalized edit distances for one perturbation.
    public struct Summary: Sendable, Codable, Equatable {
        /// Documents measured.
        public var documents: Int
        /// Mean normalized edit distance (0 = identical output, 1 = nothing shared).
        public var mean: Double
        /// Population standard deviation.
        public var standardDeviation: Double
        /// Smallest distance seen.
        public var minimum: Double
        /// Largest distance seen.
        public var maximum: Double

        /// Summarizes a list of distances.
        public init(_ values: [Double]) {
            let average = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count)
            documents = values.count
            mean = average
            standardDeviation = variance.squareRoot()
            minimum = values.min() ?? 0
            maximum = values.max() ?? 0
        }

        enum CodingKeys: String, CodingKey {
            case documents, mean, standardDeviation = "standard_deviation", minimum = "min", maximum = "max"
        }
    }

    /// The sample of documents every compressor is measured on: the same for all, so rows compare.
    /// Documents are chosen by a seeded reservoir (`Sampler`) and truncated to `maxBytes` (long
    /// documents would only make the measurement slower, not different in kind).
    public static func sample(_ documents: [[UInt8]], count: Int, maxBytes: Int, seed: UInt64) -> [[UInt8]] {
        var sampler = Sampler(count: count, maxBytes: maxBytes, seed: seed)
        for document in documents { sampler.offer(document) }
        return sampler.sample
    }

    /// Chooses `count` documents uniformly from a stream of unknown length, holding only the
    /// chosen ones (reservoir sampling, Vitter's algorithm R, driven by a seeded generator).
    ///
    /// The same documents in the same order with the same seed give the same sample, so every
    /// compressor's child process, reading the corpus on its own, measures the same documents.
    public struct Sampler: Sendable {
        private let count: Int
        private let maxBytes: Int
        private var generator: SplitMix64
        private var offered = 0
        /// The documents chosen so far (each cut to `maxBytes`), in reservoir order.
        public private(set) var sample: [[UInt8]] = []

        /// Creates an empty sampler.
        public init(count: Int, maxBytes: Int, seed: UInt64) {
            self.count = max(0, count)
            self.maxBytes = max(0, maxBytes)
            generator = SplitMix64(seed: seed)
        }

        /// Considers the next document of the stream.
        public mutating func offer(_ document: [UInt8]) {
            defer { offered += 1 }
            if sample.count < count {
                sample.append(Array(document.prefix(maxBytes)))
                return
            }
            let slot = Int.random(in: 0...offered, using: &generator)
            if slot < count { sample[slot] = Array(document.prefix(maxBytes)) }
        }
    }

    /// Perturbed copies of each sample document for each perturbation, fixed by `seed`.
    public static func perturbations(of sample: [[UInt8]], seed: UInt64) -> [Perturbation: [[UInt8]]] {
        var result: [Perturbation: [[UInt8]]] = [:]
        for perturbation in Perturbation.allCases {
            var generator = SplitMix64(seed: seed ^ SplitMix64.seed(from: perturbation.rawValue))
            result[perturbation] = sample.map { perturbation.apply(to: $0, using: &generator) }
        }
        return result
    }

    /// Measures one compressor on a sample and its perturbed copies.
    /// - Throws: `CodecError` from the compressor.
    public static func measure(
        _ compressor: any Compressor, sample: [[UInt8]], perturbed: [Perturbation: [[UInt8]]]
    ) throws(CodecError) -> [Perturbation: Summary] {
        var originals: [[UInt32]] = []
        for document in sample { originals.append(try compressor.encode(document).symbols) }
        var result: [Perturbation: Summary] = [:]
        for perturbation in Perturbation.allCases {
            guard let copies = perturbed[perturbation] else { continue }
            var distances: [Double] = []
            for (original, copy) in zip(originals, copies) {
                distances.append(EditDistance.normalized(original, try compressor.encode(copy).symbols))
            }
            result[perturbation] = Summary(distances)
        }
        return result
    }
}
