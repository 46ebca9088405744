import Testing

@testable import NeuralEngine

extension NeuralEngineTests {
    @Suite struct KernelTests {
        @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
        func sgemmMatchesReference(transA: Bool, transB: Bool) {
            var rng = SeededGenerator(seed: 11)
            let m = 37, n = 19, k = 53
            let a = (0..<(m * k)).map { _ in rng.nextUnitFloat() - 0.5 }
            let b = (0..<(k * n)).map { _ in rng.nextUnitFloat() - 0.5 }
            let c0 = (0..<(m * n)).map { _ in rng.nextUnitFloat() - 0.5 }
            var fast = c0, slow = c0
            let lda = transA ? m : k, ldb = transB ? k : n
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    fast.withUnsafeMutableBufferPointer { cp in
                        Matmul.sgemm(
                            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: ap.baseAddress!,
                            lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 0.5, c: cp.baseAddress!, ldc: n)
                    }
                    slow.withUnsafeMutableBufferPointer { cp in
                        Matmul.referenceSgemm(
                            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7, a: ap.baseAddress!,
                            lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 0.5, c: cp.baseAddress!, ldc: n)
                    }
                }
            }
            #expect(maxAbsDiff(fast, slow) < 1e-5)
        }

        /// Products large enough to be split across threads (by rows, then by columns).
        @Test(arguments: [(200, 130, 90, false, true), (40, 600, 100, true, false)])
        func splitSgemmMatchesReference(m: Int, n: Int, k: Int, transA: Bool, transB: Bool) {
            var rng = SeededGenerator(seed: 12)
            let a = (0..<(m * k)).map { _ in rng.nextUnitFloat() - 0.5 }
            let b = (0..<(k * n)).map { _ in rng.nextUnitFloat() - 0.5 }
            var fast = [Float](repeating: 1, count: m * n), slow = fast
            let lda = transA ? m : k, ldb = transB ? k : n
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    fast.withUnsafeMutableBufferPointer { cp in
                        Matmul.sgemm(
                            transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                            b: bp.baseAddress!, ldb: ldb, beta: 1, c: cp.baseAddress!, ldc: n)
                    }
                    slow.withUnsafeMutableBufferPointer { cp in
                        Matmul.referenceSgemm(
                            transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!,
                            lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 1, c: cp.baseAddress!, ldc: n)
                    }
                }
            }
            #expect(maxAbsDiff(fast, slow) < 1e-4)
        }

        @Test func simdExpIsAccurate() {
            var worst: Double = 0
            var x: Float = -80
            while x < 80 {
                let ours = Double(scalarExp(x)), ref = _expD(Double(x))
                worst = max(worst, abs(ours - ref) / ref)
                x += 0.0137
            }
            #expect(worst < 3e-7, "worst relative error \(worst)")
            #expect(scalarExp(-200) < 1e-37)
        }

        /// Grouping rows (any count, any offset) never changes a bit of matmatRows.
        @Test func matmatRowsIsIndependentOfGrouping() {
            var rng = SeededGenerator(seed: 6)
            for cols in [32, 40] {
                let rows = 5, inputs = 37
                let w = (0..<(rows * cols)).map { _ in rng.nextUnitFloat() - 0.5 }
                let x = (0..<(inputs * cols)).map { _ in rng.nextUnitFloat() - 0.5 }
                var all = [Float](repeating: 0, count: inputs * rows), one = all
                w.withUnsafeBufferPointer { wp in
                    x.withUnsafeBufferPointer { xp in
                        all.withUnsafeMutableBufferPointer { yp in
                            matmatRows(yp.baseAddress!, rows, wp.baseAddress!, xp.baseAddress!, cols, inputs, rows, cols)
                        }
                        one.withUnsafeMutableBufferPointer { yp in
                            for i in 0..<inputs {
                                matvec(yp.baseAddress! + i * rows, wp.baseAddress!, xp.baseAddress! + i * cols, rows, cols)
                            }
                        }
                    }
                }
                #expect(all.map(\.bitPattern) == one.map(\.bitPattern))
            }
        }

        @Test func matvecAgreesWithDotBitForBit() {
            var rng = SeededGenerator(seed: 5)
            for cols in [16, 32, 40, 64, 128] {
                let rows = 7
                let w = (0..<(rows * cols)).map { _ in rng.nextUnitFloat() - 0.5 }
                let x = (0..<cols).map { _ in rng.nextUnitFloat() - 0.5 }
                var y = [Float](repeating: 0, count: rows)
                w.withUnsafeBufferPointer { wp in
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            matvec(yp.baseAddress!, wp.baseAddress!, xp.baseAddress!, rows, cols)
                        }
                        for r in 0..<rows {
                            let d = dot(wp.baseAddress! + r * cols, xp.baseAddress!, cols)
                            #expect(d.bitPattern == y[r].bitPattern)
                            var ref = 0.0
                            for i in 0..<cols { ref += Double(w[r * cols + i]) * Double(x[i]) }
                            #expect(abs(Double(d) - ref) < 1e-5)
                        }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
func _expD(_ x: Double) -> Double { Glibc.exp(x) }
#else
import Darwin
func _expD(_ x: Double) -> Double { Darwin.exp(x) }
#endif
