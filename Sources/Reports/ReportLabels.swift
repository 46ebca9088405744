import WorkbenchCore

/// Short names for the compressors of one comparison, for tables and charts.
///
/// A compressor whose id is unique in the run is its id (`zstd`); several with one id are told
/// apart by the options whose values differ among them (`zstd:level=3`, `zstd:level=19`), and
/// when those are long (a model path, a digest) by a number (`ac#1`, `ac#2`) with a legend. The
/// full canonical spec stays in the Compressors section, results.json and results.csv.
struct ReportLabels {
    private var labels: [String: String] = [:]
    /// Numbered labels and the specs they stand for, in row order.
    private(set) var legend: [(label: String, spec: String)] = []

    /// Labels longer than this are replaced by a number.
    static let maximumLength = 28

    init(_ results: ComparisonResults) {
        let specs = results.compressors.map(\.spec)
        let groups = Dictionary(grouping: specs, by: \.id)
        for spec in specs where labels[spec.description] == nil {
            let group = groups[spec.id] ?? [spec]
            guard group.count > 1 else {
                labels[spec.description] = spec.id
                continue
            }
            let keys = Set(group.flatMap(\.options.keys)).filter { key in Set(group.map { $0.options[key] ?? "" }).count > 1 }
            let differing = keys.sorted().map { "\($0)=\(spec.options[$0] ?? "default")" }.joined(separator: ",")
            let label = differing.isEmpty ? spec.id : "\(spec.id):\(differing)"
            if label.count <= Self.maximumLength {
                labels[spec.description] = label
            } else {
                let number = (group.firstIndex(of: spec) ?? 0) + 1
                labels[spec.description] = "\(spec.id)#\(number)"
                legend.append(("\(spec.id)#\(number)", spec.description))
            }
        }
    }

    /// The short label of a row's spec.
    func label(_ spec: CompressorSpec) -> String { labels[spec.description] ?? ReportLabel.spec(spec.description) }

    /// The short label of a spec written as text.
    func label(spec text: String) -> String { labels[text] ?? ReportLabel.spec(text) }
}
