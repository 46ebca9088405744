import Foundation
import Testing

@testable import NeuralEngine

/// Every engine test runs inside this serialized suite: some tests change the global thread
/// count, and two cores are shared by everyone.
@Suite(.serialized) struct NeuralEngineTests {}

/// A tiny config used by most tests.
func tinyConfig(
    extraHead: Bool = false, vocab: Int = 29, width: Int = 16, layers: Int = 2, heads: Int = 2,
    context: Int = 12
) -> ModelConfig {
    ModelConfig(
        vocabularySize: vocab, width: width, layers: layers, heads: heads, contextLength: context,
        extraHead: extraHead)
}

/// A seeded random batch, optionally with packed documents and the extra head.
func randomBatch(
    _ config: ModelConfig, batch: Int, length: Int, seed: UInt64, documents: Bool = false,
    extra: Bool = false
) -> TrainingBatch {
    var rng = SeededGenerator(seed: seed)
    let n = batch * length
    let v = UInt64(config.vocabularySize)
    let tokens = (0..<n).map { _ in Int32(rng.next() % v) }
    let targets = (0..<n).map { _ in Int32(rng.next() % v) }
    var weights = (0..<n).map { _ in 0.25 + rng.nextUnitFloat() }
    weights[0] = 0
    var docs: [Int32]? = nil
    if documents {
        docs = (0..<n).map { i in Int32((i % length) / max(1, length / 3)) }
    }
    var b = TrainingBatch(
        batchSize: batch, sequenceLength: length, tokens: tokens, targets: targets,
        weights: weights, documentIDs: docs)
    if extra {
        b.extraTargets = (0..<n).map { _ in Int32(rng.next() % v) }
        b.extraWeights = (0..<n).map { _ in rng.nextUnitFloat() * 0.5 }
    }
    return b
}

/// Path of a committed fixture.
func fixturePath(_ name: String) throws -> String {
    guard
        let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)
            ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
    else {
        throw EngineError.io(file: name, reason: "fixture not found in the test bundle")
    }
    return url.path
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("neuralengine-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Largest |a - b| over two arrays.
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "length mismatch \(a.count) vs \(b.count)")
    var m: Float = 0
    for i in a.indices { m = max(m, abs(a[i] - b[i])) }
    return m
}

func maxAbs(_ a: [Float]) -> Float { a.reduce(0) { max($0, abs($1)) } }
