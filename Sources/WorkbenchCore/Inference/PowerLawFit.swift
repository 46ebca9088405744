import Foundation

/// L(C) = a * C^(-alpha), fitted by least squares on (ln C, ln L): the scaling-law form of raw
/// bits per byte against training compute, without an irreducible term (a few CPU-scale budgets
/// cannot pin one down).
public struct PowerLawFit: Sendable, Equatable, Codable {
    /// The coefficient a.
    public var a: Double
    /// The exponent alpha (positive when the loss falls with compute).
    public var alpha: Double
    /// Root mean square of the residuals of ln L (0 for a perfect power law).
    public var residual: Double
    /// Points fitted.
    public var points: Int

    /// Fits `(compute, loss)` points with at least two distinct computes and positive values;
    /// nil otherwise.
    public init?(_ points: [(compute: Double, loss: Double)]) {
        let usable = points.filter { $0.compute > 0 && $0.loss > 0 && $0.compute.isFinite && $0.loss.isFinite }
        guard Set(usable.map(\.compute)).count >= 2 else { return nil }
        let xs = usable.map { log($0.compute) }
        let ys = usable.map { log($0.loss) }
        let n = Double(usable.count)
        let meanX = xs.reduce(0, +) / n
        let meanY = ys.reduce(0, +) / n
        var sxx = 0.0
        var sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
        }
        let slope = sxy / sxx
        let intercept = meanY - slope * meanX
        var squares = 0.0
        for (x, y) in zip(xs, ys) { squares += (y - (intercept + slope * x)) * (y - (intercept + slope * x)) }
        a = exp(intercept)
        alpha = -slope
        residual = (squares / n).squareRoot()
        self.points = usable.count
    }

    /// The fitted loss at `compute`.
    public func loss(atCompute compute: Double) -> Double { a * pow(compute, -alpha) }

    /// The compute at which this line meets `other`'s, if they meet above `minimumCompute`
    /// (nil when they are parallel, or met at or below it: from there on they diverge).
    public func crossover(with other: PowerLawFit, above minimumCompute: Double) -> Double? {
        // ln a1 - alpha1 x = ln a2 - alpha2 x  =>  x = (ln a1 - ln a2) / (alpha1 - alpha2)
        let denominator = alpha - other.alpha
        guard abs(denominator) > 1e-12 else { return nil }
        let x = (log(a) - log(other.a)) / denominator
        guard x.isFinite, x > log(minimumCompute) else { return nil }
        let compute = exp(x)
        return compute.isFinite ? compute : nil
    }
}
