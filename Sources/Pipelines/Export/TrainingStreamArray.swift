/// One array of a training-stream export: its name, file suffix, element type and meaning.
struct TrainingStreamArray {
    /// Element types, little-endian.
    enum ElementType: String {
        case uint8, uint16, uint32, int32, float32

        /// Little-endian bytes of token ids or document ids in this type (ids are checked to fit
        /// when the type is chosen: the vocabulary bounds them).
        func bytes(_ values: ArraySlice<Int32>) -> [UInt8] {
            let width: Int
            switch self {
            case .uint8: width = 1
            case .uint16: width = 2
            case .uint32, .int32, .float32: width = 4
            }
            var out = [UInt8](repeating: 0, count: values.count * width)
            for (index, value) in values.enumerated() {
                let bits = UInt32(bitPattern: value)
                for byte in 0..<width { out[index * width + byte] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(byte))) }
            }
            return out
        }

        /// Little-endian bytes of float32 values.
        static func bytes(floats values: ArraySlice<Float>) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: values.count * 4)
            for (index, value) in values.enumerated() {
                let bits = value.bitPattern
                for byte in 0..<4 { out[index * 4 + byte] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(byte))) }
            }
            return out
        }
    }

    /// The header's name for it.
    var name: String
    /// Appended to the prefix (or shard stem).
    var suffix: String
    var type: ElementType
    /// What an element means, for the header.
    var meaning: String
}
