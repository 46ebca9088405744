import Foundation

/// Reads results.json with a schema check first, so an old or foreign file gets a clear error
/// instead of a decoding error about some field.
public enum ResultsFile {
    /// Decodes results, checking `schema`.
    /// - Throws: `WorkbenchError` naming the file and the schema it found.
    public static func decode(_ data: Data, path: String) throws(WorkbenchError) -> ComparisonResults {
        struct SchemaOnly: Decodable { var schema: String? }
        let header: SchemaOnly
        do {
            header = try JSONDecoder().decode(SchemaOnly.self, from: data)
        } catch {
            throw WorkbenchError("'\(path)' is not a JSON object; expected a workbench results.json")
        }
        guard header.schema == ComparisonResults.currentSchema else {
            throw WorkbenchError(
                "'\(path)' has schema '\(header.schema ?? "none")'; this workbench reads '\(ComparisonResults.currentSchema)'. Re-run the comparison or use the workbench version that wrote it"
            )
        }
        do {
            return try JSONDecoder().decode(ComparisonResults.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw WorkbenchError(
                "'\(path)': missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'")
        } catch {
            throw WorkbenchError("'\(path)': \(error)")
        }
    }
}
