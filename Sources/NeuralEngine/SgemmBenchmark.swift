import Dispatch

/// Times `Matmul.sgemm` (the engine's threading, the loaded OpenBLAS core) on given shapes.
public enum SgemmBenchmark {
    /// One shape's best rate.
    public struct Timing: Sendable {
        /// The product timed.
        public var shape: SgemmShape
        /// Best GFLOP/s over the rounds.
        public var gflops: Double
    }

    /// Times each shape in `rounds` rounds of at least `secondsPerRound`, keeping each shape's
    /// fastest round (the machine is shared: the best round is the kernel's capability, the
    /// others measure the neighbours). Operands are seeded random values, C is overwritten.
    /// Uses the thread count and strategy set in `EngineThreads`.
    public static func time(_ shapes: [SgemmShape], rounds: Int = 3, secondsPerRound: Double = 0.1) -> [Timing] {
        shapes.map { shape in
            let aCount = shape.m * shape.k, bCount = shape.k * shape.n
            var rng = SeededGenerator(seed: 7)
            let a = (0..<aCount).map { _ in rng.nextUnitFloat() - 0.5 }
            let b = (0..<bCount).map { _ in rng.nextUnitFloat() - 0.5 }
            var c = [Float](repeating: 0, count: shape.m * shape.n)
            var best = 0.0
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        guard let a = pa.baseAddress, let b = pb.baseAddress, let c = pc.baseAddress else { return }
                        func once() {
                            Matmul.sgemm(
                                transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n, k: shape.k,
                                a: a, lda: shape.transA ? shape.m : shape.k, b: b, ldb: shape.transB ? shape.k : shape.n,
                                beta: 0, c: c, ldc: shape.n)
                        }
                        once()  // warm-up: OpenBLAS buffers, page faults
                        for _ in 0..<max(1, rounds) {
                            var calls = 0
                            let start = DispatchTime.now().uptimeNanoseconds
                            var elapsed = 0.0
                            repeat {
                                once()
                                calls += 1
                                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                            } while elapsed < secondsPerRound
                            best = max(best, shape.flops * Double(calls) / elapsed / 1e9)
                        }
                    }
                }
            }
            return Timing(shape: shape, gflops: best)
        }
    }

    /// GFLOP/s of a whole step's worth of products: total FLOPs over total time, each shape
    /// counted `perStep` times at its timed rate.
    public static func stepGFLOPs(_ timings: [Timing], perStep: [Int]) -> Double {
        var flops = 0.0, seconds = 0.0
        for (timing, count) in zip(timings, perStep) where timing.gflops > 0 {
            flops += timing.shape.flops * Double(count)
            seconds += timing.shape.flops * Double(count) / (timing.gflops * 1e9)
        }
        return seconds > 0 ? flops / seconds / 1e9 : 0
    }
}
