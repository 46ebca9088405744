/// A table both reports render: Markdown pipes or HTML, from the same cells.
struct ReportTable {
    /// Column titles.
    var header: [String]
    /// Whether each column after the first is numeric (right-aligned).
    var numeric: [Bool]
    /// Rows of cells; the first cell names the row.
    var rows: [[String]]

    /// Markdown lines: header, alignment rule, rows (the first cell in code style).
    var markdown: [String] {
        var lines = ["| " + header.joined(separator: " | ") + " |"]
        lines.append("| " + header.indices.map { numeric[safe: $0] == true ? "---:" : "---" }.joined(separator: " | ") + " |")
        for row in rows { lines.append("| " + row.joined(separator: " | ") + " |") }
        return lines
    }

    /// An HTML table.
    var html: String {
        var html = "<table><tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html +=
                    numeric[safe: index] == true ? "<td class=\"n\">\(HTML.escape(cell))</td>" : "<td>\(HTML.escape(cell))</td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }
}
