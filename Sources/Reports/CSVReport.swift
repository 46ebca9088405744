import Foundation
import WorkbenchCore

/// `results.csv`: one row per compressor with the headline numbers, for spreadsheets and pandas.
public enum CSVReport {
    /// Column names, in order.
    public static let columns = [
        "id", "spec", "status", "alphabet_size", "raw_bytes", "symbols", "bytes_per_symbol", "bits_per_raw_byte",
        "serialized_bits_per_raw_byte", "round_trip_failures", "encode_mb_per_s", "decode_mb_per_s", "entropy_bits",
        "colliding_value_share", "stability_delete_10_percent", "proxy_raw_bits_per_byte", "proxy_ci95_low", "proxy_ci95_high",
        "proxy_vs_baseline", "proxy_compressed_view", "proxy_undertrained", "baseline_raw_bits_per_byte", "error",
    ]

    /// The CSV text (RFC 4180 quoting, `\n` line ends).
    public static func render(_ results: ComparisonResults) -> String {
        var lines = [columns.joined(separator: ",")]
        for row in results.compressors {
            let cells: [String] = [
                row.id, row.spec.description, row.status.rawValue, row.rate.map { "\($0.alphabetSize)" } ?? "",
                row.rate.map { "\($0.rawBytes)" } ?? "", row.rate.map { "\($0.symbols)" } ?? "", number(row.rate?.bytesPerSymbol),
                number(row.rate?.bitsPerRawByte), number(row.rate?.serializedBitsPerRawByte),
                row.roundTrip.map { "\($0.failures)" } ?? "", number(row.speed?.encodeMBPerSecond),
                number(row.speed?.decodeMBPerSecond), number(row.symbolUsage?.entropyBits),
                number(row.collisions?.collidingValueShare), number(row.stability?[Perturbation.deleteTenPercent.rawValue]?.mean),
                number(row.proxy?.rawBitsPerByte), number(row.proxy?.rawBitsPerByteCI95?.lower),
                number(row.proxy?.rawBitsPerByteCI95?.upper), number(row.proxy?.vsBaseline?.difference),
                row.proxy?.compressedView ?? "", row.proxy?.undertrained.map { $0 ? "true" : "false" } ?? "",
                number(results.baseline?.rawBitsPerByte), row.error ?? "",
            ]
            lines.append(cells.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "" }

    static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
