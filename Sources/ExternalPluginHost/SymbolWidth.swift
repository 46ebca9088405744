import WorkbenchCore

/// How many bytes each symbol takes in a payload: the smallest of 1, 2 or 4 that holds every
/// value below the alphabet size, little-endian.
///
/// Derived from the handshake's `alphabet_size`, never negotiated, so both sides agree without a
/// field. Byte-valued plugins (alphabet 256) then send their output as-is: no widening to 32 bits
/// in a scripting language, and a quarter of the pipe traffic.
enum SymbolWidth: Int, Sendable {
    case one = 1, two = 2, four = 4

    /// The width for an alphabet of `alphabetSize` symbols (1 ... 2^32).
    init(alphabetSize: Int) {
        if alphabetSize <= 1 << 8 {
            self = .one
        } else if alphabetSize <= 1 << 16 {
            self = .two
        } else {
            self = .four
        }
    }

    /// Appends `symbols` packed at this width. Callers have checked every symbol fits.
    func append(_ symbols: [UInt32], to out: inout [UInt8]) {
        switch self {
        case .one:
            for symbol in symbols { out.append(UInt8(truncatingIfNeeded: symbol)) }
        case .two:
            for symbol in symbols {
                out.append(UInt8(truncatingIfNeeded: symbol))
                out.append(UInt8(truncatingIfNeeded: symbol >> 8))
            }
        case .four:
            for symbol in symbols {
                out.append(UInt8(truncatingIfNeeded: symbol))
                out.append(UInt8(truncatingIfNeeded: symbol >> 8))
                out.append(UInt8(truncatingIfNeeded: symbol >> 16))
                out.append(UInt8(truncatingIfNeeded: symbol >> 24))
            }
        }
    }

    /// Appends an encoding's symbols packed at this width; a byte-stored encoding at width one is
    /// copied as it is, without widening each symbol to 32 bits and back.
    func append(_ encoded: EncodedDocument, to out: inout [UInt8]) {
        // Cannot fail: the caller has checked every symbol is below an alphabet of at most 256.
        // `bytes`, not the generic `withByteSymbols`: called from this module, that one is not
        // specialized and instantiated generic metadata on every call, which took a fifth of
        // the host's own time decoding a batch of one-line documents (profiled).
        if self == .one, let bytes = try? encoded.bytes(compressor: "") {
            out.append(contentsOf: bytes)
            return
        }
        append(encoded.symbols, to: &out)
    }

    /// Reads `count` symbols starting at byte `offset`. Callers have checked the bytes exist.
    func read(_ count: Int, from bytes: [UInt8], at offset: Int) -> [UInt32] {
        // Written through raw buffers: this runs once per symbol of every reply.
        [UInt32](unsafeUninitializedCapacity: count) { symbols, initialized in
            bytes.withUnsafeBufferPointer { buffer in
                switch self {
                case .one:
                    for index in 0..<count { symbols[index] = UInt32(buffer[offset + index]) }
                case .two:
                    for index in 0..<count {
                        let base = offset + 2 * index
                        symbols[index] = UInt32(buffer[base]) | UInt32(buffer[base + 1]) << 8
                    }
                case .four:
                    for index in 0..<count {
                        let base = offset + 4 * index
                        symbols[index] =
                            UInt32(buffer[base]) | UInt32(buffer[base + 1]) << 8
                            | UInt32(buffer[base + 2]) << 16 | UInt32(buffer[base + 3]) << 24
                    }
                }
            }
            initialized = count
        }
    }
}
