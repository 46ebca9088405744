import Foundation

/// Small, dependency-free SVG charts for self-contained reports: deterministic text output, so
/// a report renders identically from the same results.
public enum SVGChart {
    /// Series colours (colour-blind-safe Okabe-Ito palette).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    static let width = 640.0
    static let height = 320.0
    static let margin = (left: 64.0, right: 16.0, top: 60.0, bottom: 44.0)

    /// A horizontal-axis-categorical bar chart.
    public static func bars(title: String, labels: [String], values: [Double?], yLabel: String) -> String {
        grouped(title: title, groups: labels, series: [("", values)], yLabel: yLabel)
    }

    /// Bars for several series per group (e.g. one bar per compressor for each perturbation).
    public static func grouped(
        title: String, groups: [String], series: [(name: String, values: [Double?])], yLabel: String
    ) -> String {
        let maximum = max(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1, 1e-9)
        let ticks = niceTicks(upTo: maximum)
        let top = ticks.last ?? maximum
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        var svg = header(title: title)
        svg += axes(ticks: ticks.map { ($0, format($0)) }, top: top, yLabel: yLabel)
        let groupWidth = plotWidth / Double(max(1, groups.count))
        let barWidth = groupWidth * 0.8 / Double(max(1, series.count))
        for (groupIndex, group) in groups.enumerated() {
            let groupX = margin.left + groupWidth * Double(groupIndex) + groupWidth * 0.1
            for (seriesIndex, item) in series.enumerated() {
                let x = groupX + barWidth * Double(seriesIndex)
                guard let value = item.values[safe: groupIndex] ?? nil else {
                    svg += text(x + barWidth / 2, margin.top + plotHeight - 4, "–", anchor: "middle", size: 10)
                    continue
                }
                let barHeight = plotHeight * value / top
                let y = margin.top + plotHeight - barHeight
                let color = palette[(series.count == 1 ? groupIndex : seriesIndex) % palette.count]
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barWidth * 0.92))\" height=\"\(f(barHeight))\" fill=\"\(color)\"><title>\(HTML.escape(item.name.isEmpty ? group : "\(item.name), \(group)")): \(format(value))</title></rect>"
                if series.count <= 3 {
                    svg += text(x + barWidth * 0.46, y - 3, format(value), anchor: "middle", size: 10)
                }
            }
            svg += text(groupX + groupWidth * 0.4, margin.top + plotHeight + 16, shorten(group), anchor: "middle", size: 11)
        }
        if series.count > 1 { svg += legend(series.map(\.name)) }
        return svg + "</svg>"
    }

    /// Lines of (x, y) points, x on a log10 scale (FLOPs span decades).
    public static func lines(
        title: String, series: [(name: String, points: [(x: Double, y: Double)])], xLabel: String, yLabel: String
    ) -> String {
        let points = series.flatMap(\.points).filter { $0.x > 0 && $0.y.isFinite }
        var svg = header(title: title)
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(), let maxY = points.map(\.y).max(),
            let minY = points.map(\.y).min()
        else {
            return svg + text(width / 2, height / 2, "no data", anchor: "middle", size: 13) + "</svg>"
        }
        let ticks = niceTicks(from: max(0, minY - (maxY - minY) * 0.05), upTo: maxY)
        let bottom = ticks.first ?? 0
        let top = ticks.last ?? maxY
        let logMin = floor(log10(minX)), logMax = max(ceil(log10(maxX)), logMin + 1)
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + plotWidth * (log10(x) - logMin) / (logMax - logMin) }
        func py(_ y: Double) -> Double { margin.top + plotHeight * (1 - (y - bottom) / max(top - bottom, 1e-12)) }
        svg += axes(ticks: ticks.map { ($0, format($0)) }, top: top, bottom: bottom, yLabel: yLabel)
        for decade in Int(logMin)...Int(logMax) {
            let x = px(pow(10, Double(decade)))
            svg +=
                "<line x1=\"\(f(x))\" y1=\"\(f(margin.top + plotHeight))\" x2=\"\(f(x))\" y2=\"\(f(margin.top + plotHeight + 4))\" stroke=\"#333\"/>"
            svg += text(x, margin.top + plotHeight + 16, "1e\(decade)", anchor: "middle", size: 11)
        }
        svg += text(margin.left + plotWidth / 2, height - 12, xLabel, anchor: "middle", size: 12)
        for (index, item) in series.enumerated() {
            let usable = item.points.filter { $0.x > 0 && $0.y.isFinite }
            guard !usable.isEmpty else { continue }
            let color = palette[index % palette.count]
            let path = usable.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg +=
                "<polyline class=\"series\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"><title>\(HTML.escape(item.name))</title></polyline>"
            for point in usable {
                svg +=
                    "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"2.5\" fill=\"\(color)\"><title>\(HTML.escape(item.name)): \(format(point.y)) at \(String(format: "%.3g", point.x))</title></circle>"
            }
        }
        return svg + legend(series.map(\.name)) + "</svg>"
    }

    // MARK: Pieces

    static func header(title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
            + text(width / 2, 20, title, anchor: "middle", size: 14, weight: "bold")
    }

    static func axes(ticks: [(Double, String)], top: Double, bottom: Double = 0, yLabel: String) -> String {
        let plotHeight = height - margin.top - margin.bottom
        var svg = ""
        for (value, label) in ticks {
            let y = margin.top + plotHeight * (1 - (value - bottom) / max(top - bottom, 1e-12))
            svg +=
                "<line x1=\"\(f(margin.left))\" y1=\"\(f(y))\" x2=\"\(f(width - margin.right))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>"
            svg += text(margin.left - 6, y + 4, label, anchor: "end", size: 11)
        }
        svg +=
            "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" x2=\"\(f(margin.left))\" y2=\"\(f(margin.top + plotHeight))\" stroke=\"#333\"/>"
        svg +=
            "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top + plotHeight))\" x2=\"\(f(width - margin.right))\" y2=\"\(f(margin.top + plotHeight))\" stroke=\"#333\"/>"
        svg +=
            "<text x=\"16\" y=\"\(f(margin.top + plotHeight / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(margin.top + plotHeight / 2)))\">\(HTML.escape(yLabel))</text>"
        return svg
    }

    static func legend(_ names: [String]) -> String {
        var svg = ""
        var x = margin.left + 8
        for (index, name) in names.enumerated() {
            let color = palette[index % palette.count]
            svg += "<rect x=\"\(f(x))\" y=\"30\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += text(x + 14, 39, shorten(name), anchor: "start", size: 11)
            x += 24 + Double(min(name.count, 22)) * 6.2
        }
        return svg
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String, size: Int, weight: String = "normal") -> String
    {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" font-weight=\"\(weight)\" text-anchor=\"\(anchor)\" font-family=\"sans-serif\">\(HTML.escape(content))</text>"
    }

    /// Round tick values from `from` to at least `upTo`.
    static func niceTicks(from: Double = 0, upTo: Double) -> [Double] {
        let span = max(upTo - from, 1e-9)
        let rough = span / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough } ?? rough
        let start = floor(from / step) * step
        var ticks: [Double] = []
        var value = start
        while value < upTo + step * 0.999 && ticks.count < 12 {
            ticks.append(value)
            value += step
        }
        return ticks
    }

    static func format(_ value: Double) -> String {
        abs(value) >= 100
            ? String(format: "%.0f", value) : abs(value) >= 10 ? String(format: "%.1f", value) : String(format: "%.3g", value)
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func shorten(_ text: String) -> String { text.count > 22 ? String(text.prefix(21)) + "…" : text }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
