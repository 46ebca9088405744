import Foundation
import WorkbenchCore

/// A compressor that remembers what it encoded, so the runs of one model in a comparison (every
/// seed at every budget) compress each document once between them.
///
/// Each run compresses the documents its stream reaches and the evaluation documents; with a
/// slow compressor (`ac` codes with a neural model) that was most of a short run's time, spent
/// again by every seed. Compression is a pure function of the document, so a remembered encoding
/// is the encoding the run would have made: results do not change, only the time.
///
/// Memory is bounded: encodings are kept until they hold `capacityBytes` (symbols and spans);
/// later documents are encoded every time, as without the memo.
final class MemoizingCompressor: Compressor, @unchecked Sendable {
    /// The compressor whose encodings are remembered.
    let base: any Compressor
    /// Bytes of encodings kept at most.
    let capacityBytes: Int
    private var encodings: [[UInt8]: EncodedDocument] = [:]
    private var storedBytes = 0
    private let lock = NSLock()

    /// Default bound: a shipped-corpus comparison keeps every encoding in far less.
    static let defaultCapacityBytes = 512 << 20

    /// Remembers `base`'s encodings, up to `capacityBytes` of them.
    init(_ base: any Compressor, capacityBytes: Int = MemoizingCompressor.defaultCapacityBytes) {
        self.base = base
        self.capacityBytes = capacityBytes
    }

    var descriptor: CompressorDescriptor { base.descriptor }

    /// Documents whose encodings are kept.
    var rememberedCount: Int { lock.withLock { encodings.count } }

    func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
        if let known = lock.withLock({ encodings[document] }) { return known }
        // Encoded outside the lock: the training corpus encodes documents on every core at once.
        let encoded = try base.encode(document)
        let size = Self.footprint(encoded) + document.count
        lock.withLock {
            if encodings[document] == nil && storedBytes + size <= capacityBytes {
                encodings[document] = encoded
                storedBytes += size
            }
        }
        return encoded
    }

    func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
        try base.decode(encoded, maxOutputBytes: maxOutputBytes)
    }

    func decode(_ encoded: EncodedDocument, into buffer: DecodeBuffer, maxOutputBytes: Int) throws(CodecError) {
        try base.decode(encoded, into: buffer, maxOutputBytes: maxOutputBytes)
    }

    /// Bytes an encoding holds: its symbols as stored and its spans.
    private static func footprint(_ encoded: EncodedDocument) -> Int {
        encoded.symbolStorageBytes + (encoded.spans?.count ?? 0) * MemoryLayout<SymbolSpan>.stride
    }
}
