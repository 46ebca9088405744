import Foundation

/// Reads a file line by line through a fixed buffer, so memory is bounded by the longest line,
/// not by the file.
struct LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private let path: String
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEndOfFile = false
    /// Sees every byte of the file once, in order, as it is read (for a fingerprint in the same pass).
    private let observe: ((UnsafeBufferPointer<UInt8>) -> Void)?

    /// Opens `path` for reading.
    /// - Throws: `WorkbenchError` naming the path when it cannot be opened.
    init(
        path: String, bufferBytes: Int = 1 << 20, observe: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil
    ) throws(WorkbenchError) {
        self.observe = observe
        guard let file = fopen(path, "rb") else {
            throw WorkbenchError("cannot read '\(path)': \(String(cString: strerror(errno))); check the path and its permissions")
        }
        self.file = file
        self.path = path
        self.buffer = [UInt8](repeating: 0, count: max(bufferBytes, 4096))
    }

    /// Closes the file (call once, when done).
    func close() { fclose(file) }

    /// The next line without its `\n`, or nil at the end of the file. The last line may lack a
    /// newline.
    /// - Throws: `WorkbenchError` on a read error.
    mutating func nextLine() throws(WorkbenchError) -> ArraySlice<UInt8>? {
        var scanFrom = start
        while true {
            if let newline = buffer[scanFrom..<end].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                return line
            }
            if atEndOfFile {
                guard start < end else { return nil }
                let line = buffer[start..<end]
                start = end
                return line
            }
            // Subtle: move the partial line to the front (or grow for a line longer than the
            // buffer) before reading more, so slices already returned are never needed again.
            let pending = end - start
            if start > 0 {
                buffer.withUnsafeMutableBufferPointer { raw in
                    guard let base = raw.baseAddress else { return }
                    memmove(base, base + start, pending)
                }
                start = 0
                end = pending
            }
            if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            scanFrom = end
            let capacity = buffer.count - end
            let offset = end
            let read = buffer.withUnsafeMutableBytes { raw in fread(raw.baseAddress.map { $0 + offset }, 1, capacity, file) }
            if read < capacity {
                if ferror(file) != 0 { throw WorkbenchError("error reading '\(path)': \(String(cString: strerror(errno)))") }
                atEndOfFile = true
            }
            if let observe, read > 0 {
                buffer.withUnsafeBufferPointer { observe(UnsafeBufferPointer(rebasing: $0[offset..<offset + read])) }
            }
            end += read
        }
    }
}
