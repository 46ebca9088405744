import Foundation
import WorkbenchCore

/// What one document becomes in a corpus-wide command's output.
public struct DocumentRecord: Sendable {
    /// Bytes appended to the main output (a JSON line, or little-endian token ids).
    public var payload: [UInt8]
    /// Items in `payload` (tokens for token arrays), for the document index.
    public var items: Int
    /// Compressor symbols the document encoded to.
    public var symbols: Int
    /// Raw bytes of the document.
    public var rawBytes: Int

    /// Creates a record.
    public init(payload: [UInt8], items: Int, symbols: Int, rawBytes: Int) {
        self.payload = payload
        self.items = items
        self.symbols = symbols
        self.rawBytes = rawBytes
    }
}
