import Foundation
import WorkbenchCore

extension SVGChart {
    /// One value with its interval (nil bounds: no interval).
    public typealias Estimate = (value: Double, lower: Double?, upper: Double?)

    /// Bars with error bars: one bar per label, the interval drawn as a whisker.
    public static func barsWithIntervals(title: String, labels: [String], estimates: [Estimate?], yLabel: String) -> String {
        let highest = estimates.compactMap { $0.map { $0.upper ?? $0.value } }.max() ?? 1
        let ticks = niceTicks(upTo: max(highest, 1e-9))
        let top = ticks.last ?? highest
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        func py(_ value: Double) -> Double { margin.top + plotHeight * (1 - value / top) }
        var svg = header(title: title)
        svg += axes(ticks: ticks.map { ($0, format($0)) }, top: top, yLabel: yLabel)
        let slot = plotWidth / Double(max(1, labels.count))
        for (index, label) in labels.enumerated() {
            let x = margin.left + slot * Double(index) + slot * 0.15
            let barWidth = slot * 0.7
            if let estimate = estimates[safe: index] ?? nil {
                let color = palette[index % palette.count]
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(py(estimate.value)))\" width=\"\(f(barWidth))\" height=\"\(f(plotHeight * estimate.value / top))\" fill=\"\(color)\" fill-opacity=\"0.75\"><title>\(HTML.escape(label)): \(intervalText(estimate))</title></rect>"
                if let lower = estimate.lower, let upper = estimate.upper {
                    svg += whisker(x: x + barWidth / 2, top: py(upper), bottom: py(lower))
                }
                svg += text(
                    x + barWidth / 2, py(estimate.upper ?? estimate.value) - 4, format(estimate.value), anchor: "middle", size: 10
                )
            }
            svg += text(x + barWidth / 2, margin.top + plotHeight + 16, shorten(label), anchor: "middle", size: 11)
        }
        return svg + "</svg>"
    }

    /// One model of a sweep: its points (budget, estimate) and its fitted power law.
    public typealias SweepSeries = (name: String, points: [(x: Double, estimate: Estimate)], fit: (a: Double, alpha: Double)?)

    /// Raw bits per byte against FLOPs on log-log axes: each model's points with error bars and its
    /// fitted line, dashed beyond the largest budget up to `extendTo` (an extrapolation).
    public static func sweep(title: String, series: [SweepSeries], extendTo: Double?, xLabel: String, yLabel: String) -> String {
        var svg = header(title: title)
        let xs = series.flatMap { $0.points.map(\.x) }.filter { $0 > 0 } + (extendTo.map { [$0] } ?? [])
        // The axis spans the means and the interval bounds within a factor of 2 of them: a 2-seed
        // interval can reach below zero, which a log axis cannot show (its whisker is clipped).
        let means = series.flatMap { $0.points.map(\.estimate.value) }.filter { $0 > 0 && $0.isFinite }
        let bounds = series.flatMap { $0.points.flatMap { [$0.estimate.lower, $0.estimate.upper].compactMap { $0 } } }
        let low = means.min() ?? 0, high = means.max() ?? 0
        let ys = means + bounds.filter { $0 > low / 2 && $0 < high * 2 }
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else {
            return svg + text(width / 2, height / 2, "no data", anchor: "middle", size: 13) + "</svg>"
        }
        let logMinX = floor(log10(minX)), logMaxX = max(ceil(log10(maxX)), logMinX + 1)
        let logMinY = log10(minY) - 0.05, logMaxY = log10(maxY) + 0.05
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + plotWidth * (log10(x) - logMinX) / (logMaxX - logMinX) }
        func py(_ y: Double) -> Double { margin.top + plotHeight * (1 - (log10(y) - logMinY) / max(logMaxY - logMinY, 1e-9)) }
        let yTicks = niceTicks(from: minY, upTo: maxY).filter { $0 > 0 && $0 >= minY * 0.9 && $0 <= maxY * 1.1 }
        for value in yTicks {
            let y = py(value)
            svg +=
                "<line x1=\"\(f(margin.left))\" y1=\"\(f(y))\" x2=\"\(f(width - margin.right))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>"
            svg += text(margin.left - 6, y + 4, format(value), anchor: "end", size: 11)
        }
        svg +=
            "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" x2=\"\(f(margin.left))\" y2=\"\(f(margin.top + plotHeight))\" stroke=\"#333\"/>"
        svg +=
            "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top + plotHeight))\" x2=\"\(f(width - margin.right))\" y2=\"\(f(margin.top + plotHeight))\" stroke=\"#333\"/>"
        for decade in Int(logMinX)...Int(logMaxX) {
            let x = px(pow(10, Double(decade)))
            svg += text(x, margin.top + plotHeight + 16, "1e\(decade)", anchor: "middle", size: 11)
        }
        svg += text(margin.left + plotWidth / 2, height - 12, xLabel, anchor: "middle", size: 12)
        svg +=
            "<text x=\"16\" y=\"\(f(margin.top + plotHeight / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(margin.top + plotHeight / 2)))\">\(HTML.escape(yLabel)) (log scale)</text>"
        // Fitted lines are clipped to the plot area (an id unique to this chart's title, since a
        // report holds several charts).
        let clip = "sweep-clip-\(SplitMix64.seed(from: title) % 1_000_000)"
        svg +=
            "<clipPath id=\"\(clip)\"><rect x=\"\(f(margin.left))\" y=\"\(f(margin.top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\"/></clipPath>"
        for (index, item) in series.enumerated() {
            let color = palette[index % palette.count]
            let measured = item.points.map(\.x).filter { $0 > 0 }
            if let fit = item.fit, let first = measured.min(), let last = measured.max() {
                func segment(_ from: Double, _ to: Double, dashed: Bool) -> String {
                    let steps = 24
                    let points = (0...steps).map { step -> String in
                        let x = pow(10, log10(from) + (log10(to) - log10(from)) * Double(step) / Double(steps))
                        return "\(f(px(x))),\(f(py(fit.a * pow(x, -fit.alpha))))"
                    }
                    return
                        "<polyline clip-path=\"url(#\(clip))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"\(dashed ? " stroke-dasharray=\"5,4\"" : "") points=\"\(points.joined(separator: " "))\"><title>\(HTML.escape(item.name)): \(String(format: "%.3g", fit.a)) C^-\(String(format: "%.4f", fit.alpha))\(dashed ? " (extrapolated)" : "")</title></polyline>"
                }
                svg += segment(first, last, dashed: false)
                if let extendTo, extendTo > last { svg += segment(last, extendTo, dashed: true) }
            }
            for point in item.points where point.x > 0 && point.estimate.value > 0 {
                if let lower = point.estimate.lower, let upper = point.estimate.upper {
                    let plotTop = margin.top, plotBottom = margin.top + plotHeight
                    let top = min(max(py(upper), plotTop), plotBottom)
                    let bottom = lower > 0 ? min(max(py(lower), plotTop), plotBottom) : plotBottom
                    svg += whisker(x: px(point.x), top: top, bottom: bottom, color: color)
                }
                svg +=
                    "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.estimate.value)))\" r=\"3.5\" fill=\"\(color)\"><title>\(HTML.escape(item.name)) at \(String(format: "%.3g", point.x)) FLOPs: \(intervalText(point.estimate))</title></circle>"
            }
        }
        return svg + legend(series.map(\.name)) + "</svg>"
    }

    static func whisker(x: Double, top: Double, bottom: Double, color: String = "#222") -> String {
        "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(bottom))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            + "<line x1=\"\(f(x - 4))\" y1=\"\(f(top))\" x2=\"\(f(x + 4))\" y2=\"\(f(top))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            + "<line x1=\"\(f(x - 4))\" y1=\"\(f(bottom))\" x2=\"\(f(x + 4))\" y2=\"\(f(bottom))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
    }

    static func intervalText(_ estimate: Estimate) -> String {
        guard let lower = estimate.lower, let upper = estimate.upper else { return format(estimate.value) }
        return "\(format(estimate.value)) [\(format(lower)), \(format(upper))]"
    }
}

extension SVGChart {
    /// A labelled point with a vertical interval.
    public typealias LabelledPoint = (label: String, x: Double, y: Estimate)

    /// A scatter plot: one labelled point per item, its y interval drawn as a whisker.
    public static func scatter(title: String, points: [LabelledPoint], xLabel: String, yLabel: String) -> String {
        var svg = header(title: title)
        let xs = points.map(\.x).filter(\.isFinite)
        let ys = points.flatMap { [$0.y.lower ?? $0.y.value, $0.y.upper ?? $0.y.value] }.filter(\.isFinite)
        guard let minX = xs.min(), let maxX = xs.max(), let minY = ys.min(), let maxY = ys.max() else {
            return svg + text(width / 2, height / 2, "no data", anchor: "middle", size: 13) + "</svg>"
        }
        let padX = max((maxX - minX) * 0.08, 1e-9), padY = max((maxY - minY) * 0.08, 1e-9)
        let yTicks = niceTicks(from: minY - padY, upTo: maxY + padY)
        let bottom = yTicks.first ?? minY, top = yTicks.last ?? maxY
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + plotWidth * (x - (minX - padX)) / (maxX - minX + 2 * padX) }
        func py(_ y: Double) -> Double { margin.top + plotHeight * (1 - (y - bottom) / max(top - bottom, 1e-12)) }
        svg += axes(ticks: yTicks.map { ($0, format($0)) }, top: top, bottom: bottom, yLabel: yLabel)
        for tick in niceTicks(from: minX - padX, upTo: maxX + padX) where tick >= minX - padX && tick <= maxX + padX {
            svg += text(px(tick), margin.top + plotHeight + 16, format(tick), anchor: "middle", size: 11)
        }
        svg += text(margin.left + plotWidth / 2, height - 12, xLabel, anchor: "middle", size: 12)
        for (index, point) in points.enumerated() where point.x.isFinite && point.y.value.isFinite {
            let color = palette[index % palette.count]
            if let lower = point.y.lower, let upper = point.y.upper {
                svg += whisker(x: px(point.x), top: py(upper), bottom: py(lower), color: color)
            }
            svg +=
                "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y.value)))\" r=\"4\" fill=\"\(color)\"><title>\(HTML.escape(point.label)): \(format(point.x)), \(intervalText(point.y))</title></circle>"
            svg += text(px(point.x) + 6, py(point.y.value) - 6, shorten(point.label), anchor: "start", size: 10)
        }
        return svg + "</svg>"
    }
}
