/// GPT-2's reversible map from bytes to printable Unicode scalars, used by HuggingFace ByteLevel
/// tokenizers to spell byte tokens as JSON strings (`Ġ` is the space byte).
///
/// Bytes 33...126, 161...172 and 174...255 map to the scalar of the same value; the other 68
/// bytes map, in increasing byte order, to U+0100, U+0101, ... (Radford et al. 2019, `encoder.py`).
public enum ByteLevelAlphabet {
    /// The scalar that spells each byte, indexed by byte value.
    public static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // Subtle: every value here is below 0x0144, always a valid scalar; the fallback never runs.
                table[byte] = Unicode.Scalar(next) ?? "?"
                next += 1
            }
        }
        return table
    }()

    /// The byte each alphabet scalar spells, or nil for scalars outside the alphabet.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 256 {
            let byte = UInt8(value)
            return scalarForByte[Int(byte)] == scalar ? byte : nil
        }
        guard value < 256 + 68 else { return nil }
        return inverseHigh[Int(value - 256)]
    }

    private static let inverseHigh: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 68)
        for byte in 0..<256 where scalarForByte[byte].value >= 256 {
            table[Int(scalarForByte[byte].value - 256)] = UInt8(byte)
        }
        return table
    }()

    /// Spells a byte string in the alphabet (`" hello"` becomes `"Ġhello"`).
    public static func spell(_ bytes: [UInt8]) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarForByte[Int(byte)]) }
        return String(text)
    }

    /// The bytes a spelled token stands for, or nil when a scalar is outside the alphabet.
    public static func bytes(spelledAs token: String) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            out.append(byte)
        }
        return out
    }

    /// The 256 bytes in the order HuggingFace's trainer numbers its initial alphabet: by the code
    /// point of their spelling. Byte-level models we train use this order for ids 0..<256 so that
    /// the trainer's tie-break (on pair ids) picks the same merges as HuggingFace's.
    public static let bytesInTrainerOrder: [UInt8] = (0..<256).map { UInt8($0) }
        .sorted { scalarForByte[Int($0)].value < scalarForByte[Int($1)].value }
}
