import CodecBaseline
import WorkbenchCore

/// Runs the C loop over one contiguous copy of the corpus.
///
/// The copy is made once, so the C side sees the same bytes as the plugin without Swift arrays
/// in its timed path.
final class CBaselineRunner {
    let params: cb_params
    let count: Int
    private let arena: UnsafeMutablePointer<UInt8>
    private let pointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    private let documentBytes: UnsafeMutablePointer<Int>
    private let compressed: UnsafeMutablePointer<UInt8>
    private let compressedCapacity: Int
    let compressedBytes: UnsafeMutablePointer<Int>
    private let decodedBytes: UnsafeMutablePointer<Int>
    private let scratch: UnsafeMutablePointer<UInt8>
    private let scratchCapacity: Int
    /// The plugin's symbols, end to end, for the "C from symbols" loop.
    private var symbols: UnsafeMutablePointer<UInt32>?
    private var narrowed: UnsafeMutablePointer<UInt8>?
    /// For document-by-document encoding: one encoder and one output buffer, both reused.
    private let encoder: OpaquePointer?
    private let decoder: OpaquePointer?
    private let encodeOutput: UnsafeMutablePointer<UInt8>
    private let encodeOutputCapacity: Int

    init(params: cb_params, documents: [[UInt8]]) {
        self.params = params
        count = documents.count
        let total = documents.reduce(0) { $0 + $1.count }
        let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
        let pointers = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: count)
        let documentBytes = UnsafeMutablePointer<Int>.allocate(capacity: count)
        self.arena = arena
        self.pointers = pointers
        self.documentBytes = documentBytes
        var offset = 0
        var bound = 0
        for (index, document) in documents.enumerated() {
            document.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { (arena + offset).initialize(from: base, count: source.count) }
            }
            pointers[index] = UnsafePointer(arena + offset)
            documentBytes[index] = document.count
            offset += document.count
            bound += cb_compress_bound(params, document.count)
        }
        compressedCapacity = bound
        compressed = .allocate(capacity: max(bound, 1))
        compressedBytes = .allocate(capacity: count)
        decodedBytes = .allocate(capacity: count)
        scratchCapacity = max(documents.map(\.count).max() ?? 1, 1)
        scratch = .allocate(capacity: scratchCapacity)
        encoder = cb_encoder_create(params)
        decoder = cb_decoder_create(params)
        encodeOutputCapacity = cb_compress_bound(params, scratchCapacity)
        encodeOutput = .allocate(capacity: encodeOutputCapacity)
    }

    deinit {
        cb_encoder_free(encoder)
        cb_decoder_free(decoder)
        encodeOutput.deallocate()
        symbols?.deallocate()
        narrowed?.deallocate()
        arena.deallocate()
        pointers.deallocate()
        documentBytes.deallocate()
        compressed.deallocate()
        compressedBytes.deallocate()
        decodedBytes.deallocate()
        scratch.deallocate()
    }

    /// Compresses every document; false on a library failure.
    func compressAll() -> Bool {
        cb_compress_all(params, count, pointers, documentBytes, compressed, compressedCapacity, compressedBytes) == 0
    }

    /// Compresses document `index` alone with the reused encoder; its size, or -1.
    func encodeOne(_ index: Int) -> Int {
        guard let encoder, let document = pointers[index] else { return -1 }
        return cb_encode_one(encoder, document, documentBytes[index], encodeOutput, encodeOutputCapacity)
    }

    /// Decompresses every document; with `verify`, also compares each with the original.
    func decompressAll(verify: Bool) -> Bool {
        cb_decompress_all(
            decoder, count, compressed, compressedBytes, documentBytes, scratch, scratchCapacity, decodedBytes,
            verify ? pointers : nil) == 0
    }

    /// Copies the plugin's encodings (same bytes as the C loop's, as 32-bit symbols).
    func loadSymbols(_ encoded: [EncodedDocument]) {
        symbols?.deallocate()
        narrowed?.deallocate()
        let total = encoded.reduce(0) { $0 + $1.symbols.count }
        let arena = UnsafeMutablePointer<UInt32>.allocate(capacity: max(total, 1))
        var offset = 0
        for document in encoded {
            document.symbols.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { (arena + offset).initialize(from: base, count: source.count) }
            }
            offset += document.symbols.count
        }
        symbols = arena
        narrowed = .allocate(capacity: max(encoded.map(\.symbols.count).max() ?? 1, 1))
    }

    /// What the plugin API must do, in C: narrows each document's symbols to bytes, then
    /// decompresses it into a new buffer (after `loadSymbols`).
    func decompressSymbolsAll() -> Bool {
        guard let symbols, let narrowed else { return false }
        return cb_decompress_symbols_all(
            decoder, count, symbols, compressedBytes, documentBytes, narrowed, decodedBytes) == 0
    }

    /// The compressed bytes of document `index` (after `compressAll`).
    func compressedDocument(_ index: Int) -> [UInt8] {
        var offset = 0
        for i in 0..<index { offset += compressedBytes[i] }
        return Array(UnsafeBufferPointer(start: compressed + offset, count: compressedBytes[index]))
    }
}
