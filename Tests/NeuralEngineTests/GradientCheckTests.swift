import Testing

@testable import NeuralEngine

/// Finite-difference checks of every layer's backward pass. Each layer's output is projected
/// on a fixed random vector R (loss = Σ out·R, summed in Double); central differences with step
/// h are compared with the analytic gradient: |numeric − analytic| ≤ 1e-2 · max|analytic| + 1e-4
/// on sampled coordinates (float32 kernels, so h cannot be tiny).
extension NeuralEngineTests {
    @Suite struct GradientCheckTests {
        static func check(
            _ name: String, input: [Float], outputCount: Int, samples: Int = 24, h: Float = 1e-2, seed: UInt64 = 9,
            forward: ([Float]) -> [Float], backward: ([Float], [Float]) -> [Float],
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            var rng = SeededGenerator(seed: seed)
            let r = (0..<outputCount).map { _ in rng.nextUnitFloat() - 0.5 }
            func loss(_ x: [Float]) -> Double {
                let out = forward(x)
                var s = 0.0
                for i in out.indices { s += Double(out[i]) * Double(r[i]) }
                return s
            }
            let analytic = backward(input, r)
            let scale = maxAbs(analytic)
            #expect(scale > 0, "\(name): analytic gradient is all zero", sourceLocation: sourceLocation)
            for _ in 0..<samples {
                let i = Int(rng.next() % UInt64(input.count))
                var plus = input, minus = input
                plus[i] += h; minus[i] -= h
                let numeric = (loss(plus) - loss(minus)) / Double(2 * h)
                let err = abs(numeric - Double(analytic[i]))
                #expect(
                    err <= 1e-2 * Double(scale) + 1e-4,
                    "\(name)[\(i)]: numeric \(numeric) analytic \(analytic[i])", sourceLocation: sourceLocation)
            }
        }

        static func random(_ n: Int, _ seed: UInt64, scale: Float = 1) -> [Float] {
            var rng = SeededGenerator(seed: seed)
            return (0..<n).map { _ in (rng.nextUnitFloat() * 2 - 1) * scale }
        }

        @Test func rmsnorm() {
            let n = 5, c = 20
            let x = Self.random(n * c, 1), w = Self.random(c, 2).map { $0 + 1 }
            func fwd(_ x: [Float], _ w: [Float]) -> [Float] {
                var out = [Float](repeating: 0, count: n * c), rstd = [Float](repeating: 0, count: n)
                rmsnormForward(&out, &rstd, x, w, n, c, 1e-5)
                return out
            }
            func bwd(_ x: [Float], _ w: [Float], _ d: [Float]) -> ([Float], [Float]) {
                var out = [Float](repeating: 0, count: n * c), rstd = [Float](repeating: 0, count: n)
                rmsnormForward(&out, &rstd, x, w, n, c, 1e-5)
                var dx = [Float](repeating: 0, count: n * c), dw = [Float](repeating: 0, count: c)
                rmsnormBackward(&dx, &dw, d, x, w, rstd, n, c)
                return (dx, dw)
            }
            Self.check("rmsnorm dx", input: x, outputCount: n * c, forward: { fwd($0, w) }, backward: { bwd($0, w, $1).0 })
            Self.check("rmsnorm dw", input: w, outputCount: n * c, forward: { fwd(x, $0) }, backward: { bwd(x, $0, $1).1 })
        }

        @Test func gelu() {
            let x = Self.random(53, 3, scale: 4)
            Self.check(
                "gelu", input: x, outputCount: 53, h: 1e-3,
                forward: { x in
                    var out = [Float](repeating: 0, count: x.count)
                    geluForward(&out, x, x.count)
                    return out
                },
                backward: { x, d in
                    var g = d
                    geluBackward(&g, x, x.count)
                    return g
                })
        }

        @Test func crossEntropy() {
            let n = 4, v = 37
            let logits = Self.random(n * v, 4, scale: 3)
            let targets: [Int32] = [3, 0, 36, 17]
            let weights: [Float] = [1, 0.5, 0, 2]
            // here the "output" is the scalar weighted loss; R multiplies it
            Self.check(
                "cross-entropy", input: logits, outputCount: 1,
                forward: { l in
                    var copy = l
                    let s = crossEntropyForwardBackward(&copy, nil, targets, weights, n, v, gradScale: 1, computeGradient: false)
                    return [Float(s)]
                },
                backward: { l, d in
                    var copy = l
                    _ = crossEntropyForwardBackward(&copy, nil, targets, weights, n, v, gradScale: d[0], computeGradient: true)
                    return copy
                })
        }

        /// Attention with RoPE, over more than one query block and with packed documents.
        @Test(arguments: [false, true])
        func attention(documents: Bool) {
            let b = 2, t = attentionBlock + 9, c = 8, nh = 2
            let qkv = Self.random(b * t * 3 * c, 5)
            var starts = [Int32](repeating: 0, count: b * t)
            if documents {
                for i in 0..<(b * t) {
                    let p = i % t
                    starts[i] = p >= 50 ? 50 : (p >= 20 ? 20 : 0)
                }
            }
            let tables = ropeTables(positions: t, headSize: c / nh, base: 10_000)
            func fwd(_ x: [Float]) -> ([Float], [Float], [Float]) {
                var q = x
                ropeApply(&q, tables.cos, tables.sin, starts, b, t, c, nh, sign: 1)
                var y = [Float](repeating: 0, count: b * t * c), att = [Float](repeating: 0, count: b * nh * t * t)
                attentionForward(&y, &att, q, starts, b, t, c, nh)
                return (y, att, q)
            }
            Self.check(
                "attention", input: qkv, outputCount: b * t * c, samples: 40, h: 1e-2, forward: { fwd($0).0 },
                backward: { x, d in
                    let (_, att, q) = fwd(x)
                    var dqkv = [Float](repeating: 0, count: b * t * 3 * c)
                    var scratch = [Float](repeating: 0, count: 2 * attentionBlock * t)
                    attentionBackward(&dqkv, d, q, att, starts, &scratch, scratchSlots: 2, b, t, c, nh)
                    ropeApply(&dqkv, tables.cos, tables.sin, starts, b, t, c, nh, sign: -1)
                    return dqkv
                })
        }

        @Test func embeddingAndLinear() {
            let n = 6, ic = 12, oc = 7
            let x = Self.random(n * ic, 6), w = Self.random(oc * ic, 7)
            func fwd(_ x: [Float], _ w: [Float]) -> [Float] {
                var out = [Float](repeating: 0, count: n * oc)
                linearForward(&out, x, w, n, ic, oc)
                return out
            }
            func bwd(_ x: [Float], _ w: [Float], _ d: [Float]) -> ([Float], [Float]) {
                var dx = [Float](repeating: 0, count: n * ic), dw = [Float](repeating: 0, count: oc * ic)
                linearBackward(&dx, &dw, d, x, w, n, ic, oc)
                return (dx, dw)
            }
            Self.check("linear dx", input: x, outputCount: n * oc, forward: { fwd($0, w) }, backward: { bwd($0, w, $1).0 })
            Self.check("linear dw", input: w, outputCount: n * oc, forward: { fwd(x, $0) }, backward: { bwd(x, $0, $1).1 })
            let tokens: [Int32] = [2, 0, 2, 4]
            let wte = Self.random(5 * 3, 8)
            Self.check(
                "embedding", input: wte, outputCount: 4 * 3,
                forward: { e in
                    var out = [Float](repeating: 0, count: 12)
                    embeddingForward(&out, tokens, e, 4, 3)
                    return out
                },
                backward: { _, d in
                    var g = [Float](repeating: 0, count: 15)
                    embeddingBackward(&g, d, tokens, 4, 3)
                    return g
                })
        }

        /// The whole model, with packed documents and the extra head: two sampled coordinates of
        /// every parameter tensor.
        @Test func wholeModel() throws {
            let config = tinyConfig(extraHead: true)
            let model = try TransformerModel(config: config, seed: 3)
            // larger weights than the default init so every path carries signal
            for i in model.parameters.values.indices where model.parameters.values[i] != 1 {
                model.parameters.values[i] *= 10
            }
            let batch = randomBatch(config, batch: 2, length: 10, seed: 4, documents: true, extra: true)
            model.zeroGradients()
            try model.forward(batch)
            try model.backward()
            let analytic = model.gradients.values
            let base = model.parameters
            var rng = SeededGenerator(seed: 10)
            let h: Float = 1e-2
            for spec in base.layout.tensors {
                let scale = maxAbs(Array(analytic[spec.offset..<(spec.offset + spec.count)]))
                for _ in 0..<2 {
                    let i = spec.offset + Int(rng.next() % UInt64(spec.count))
                    model.parameters = base
                    model.parameters.values[i] += h
                    let lp = try model.forward(batch, forTraining: false)
                    model.parameters.values[i] = base.values[i] - h
                    let lm = try model.forward(batch, forTraining: false)
                    let numeric = (Double(lp) - Double(lm)) / Double(2 * h)
                    #expect(
                        abs(numeric - Double(analytic[i])) <= 2e-2 * Double(scale) + 2e-4,
                        "\(spec.name): numeric \(numeric) analytic \(analytic[i])")
                }
            }
            model.parameters = base
        }
    }
}
