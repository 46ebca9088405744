/// Raw bytes shown so that whitespace and invisible bytes can be seen, as the paper prints
/// colliding strings: space `·`, newline `↵`, tab `→`, other control or invalid bytes `\xNN`.
public enum VisibleText {
    /// The visible rendering of `bytes`, cut to `limit` characters with an ellipsis.
    public static func render(_ bytes: [UInt8], limit: Int = 60) -> String {
        var out = ""
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var count = 0
        // Decode scalar by scalar; an invalid sequence is shown byte by byte.
        var position = 0
        loop: while true {
            let before = position
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                position += String(scalar).utf8.count
                switch scalar {
                case " ": out += "·"
                case "\n": out += "↵"
                case "\t": out += "→"
                case "\r": out += "␍"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        out += hex(UInt8(scalar.value))
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            case .emptyInput:
                break loop
            case .error:
                position = before + 1
                if before < bytes.count { out += hex(bytes[before]) }
            }
            count += 1
            if count >= limit && position < bytes.count {
                out += "…"
                break
            }
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
    }
}
