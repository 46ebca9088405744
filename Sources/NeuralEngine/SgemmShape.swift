/// One matrix product C (m, n) = op(A) (m, k) · op(B) (k, n), row-major, as `Matmul.sgemm` takes it.
public struct SgemmShape: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the product computes, e.g. `mlp up, weight gradient`.
    public var name: String
    /// Whether A and B are read transposed.
    public var transA: Bool, transB: Bool
    /// Rows of C, columns of C, and the inner dimension.
    public var m: Int, n: Int, k: Int

    /// A shape.
    public init(name: String, transA: Bool, transB: Bool, m: Int, n: Int, k: Int) {
        self.name = name
        self.transA = transA
        self.transB = transB
        self.m = m
        self.n = n
        self.k = k
    }

    /// Multiply-adds times two.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// `name (NT m×n×k)`.
    public var description: String { "\(name) (\(transA ? "T" : "N")\(transB ? "T" : "N") \(m)x\(n)x\(k))" }
}

extension ModelConfig {
    /// The linear-layer products of one training step over `rows` = batch × sequence positions,
    /// exactly as `linearForward`/`linearBackward` issue them (forward; input gradient; weight
    /// gradient), each with how many times a step performs it. These carry 6N of the step's
    /// 6N + 12·L·C·T FLOPs; attention's per-head products are smaller and not listed.
    public func trainingMatmulShapes(rows: Int) -> [(shape: SgemmShape, perStep: Int)] {
        let c = width, h = hiddenWidth
        let linears: [(String, Int, Int, Int)] = [  // (name, in, out, per step)
            ("qkv", c, 3 * c, layers), ("attention out", c, c, layers), ("mlp up", c, h, layers),
            ("mlp down", h, c, layers), ("head", c, vocabularySize, extraHead ? 2 : 1),
        ]
        var shapes: [(shape: SgemmShape, perStep: Int)] = []
        for (name, ic, oc, count) in linears {
            shapes.append((SgemmShape(name: name + " forward", transA: false, transB: true, m: rows, n: oc, k: ic), count))
            shapes.append(
                (SgemmShape(name: name + " input gradient", transA: false, transB: false, m: rows, n: ic, k: oc), count))
            shapes.append(
                (SgemmShape(name: name + " weight gradient", transA: true, transB: false, m: oc, n: ic, k: rows), count))
        }
        return shapes
    }
}
