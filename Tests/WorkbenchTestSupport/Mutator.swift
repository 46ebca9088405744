import Foundation
import WorkbenchCore

/// Seeded damage to a saved file, for the mutation tests of every container format: each call
/// returns a different byte string and says what was done, so a failure names its mutation and
/// the printed seed replays it.
public enum Mutator {
    /// The seed of a mutation test: `$WORKBENCH_MUTATION_SEED` when set (to replay or explore),
    /// else `fallback`; printed by the caller.
    public static func seed(fallback: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["WORKBENCH_MUTATION_SEED"].flatMap { UInt64($0) } ?? fallback
    }

    /// One mutation of `bytes` (never the identity): a flipped bit, a few flipped bits, a byte
    /// set to a random, zero or 0xFF value, an inserted or deleted byte, a truncation, appended
    /// garbage, a zeroed or duplicated run, two swapped bytes, or an 8-byte little-endian field
    /// overwritten with a huge number.
    public static func mutate(_ bytes: [UInt8], using generator: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        while true {
            let (mutated, what) = once(bytes, using: &generator)
            if mutated != bytes { return (mutated, what) }
        }
    }

    private static func once(_ bytes: [UInt8], using g: inout SplitMix64) -> ([UInt8], String) {
        var out = bytes
        let count = bytes.count
        func position() -> Int { count == 0 ? 0 : Int(g.next() % UInt64(count)) }
        switch g.next() % 12 {
        case 0, 1:
            guard count > 0 else { return ([0], "appended a zero to nothing") }
            let at = position()
            let bit = Int(g.next() % 8)
            out[at] ^= UInt8(1 << bit)
            return (out, "flipped bit \(bit) of byte \(at)")
        case 2:
            guard count > 0 else { return ([1], "one byte") }
            var flipped: [String] = []
            for _ in 0..<(2 + Int(g.next() % 7)) {
                let at = position()
                let bit = Int(g.next() % 8)
                out[at] ^= UInt8(1 << bit)
                flipped.append("\(at).\(bit)")
            }
            return (out, "flipped bits \(flipped.joined(separator: ","))")
        case 3:
            guard count > 0 else { return ([2], "one byte") }
            let at = position()
            let value: UInt8 = [0, 0xFF, UInt8(truncatingIfNeeded: g.next())][Int(g.next() % 3)]
            out[at] = value
            return (out, "set byte \(at) to \(value)")
        case 4:
            let at = count == 0 ? 0 : Int(g.next() % UInt64(count + 1))
            let value = UInt8(truncatingIfNeeded: g.next())
            out.insert(value, at: at)
            return (out, "inserted \(value) at \(at)")
        case 5:
            guard count > 0 else { return ([3], "one byte") }
            let at = position()
            out.remove(at: at)
            return (out, "deleted byte \(at)")
        case 6:
            let length = position()
            return (Array(bytes.prefix(length)), "truncated to \(length) bytes")
        case 7:
            let extra = (0..<(1 + Int(g.next() % 64))).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            return (bytes + extra, "appended \(extra.count) random bytes")
        case 8:
            guard count > 0 else { return ([4], "one byte") }
            let at = position()
            let length = min(count - at, 1 + Int(g.next() % 32))
            out.replaceSubrange(at..<(at + length), with: [UInt8](repeating: 0, count: length))
            return (out, "zeroed \(length) bytes at \(at)")
        case 9:
            guard count > 0 else { return ([5], "one byte") }
            let at = position()
            let length = min(count - at, 1 + Int(g.next() % 32))
            out.insert(contentsOf: bytes[at..<(at + length)], at: at)
            return (out, "duplicated \(length) bytes at \(at)")
        case 10:
            guard count > 1 else { return (bytes + [6], "appended a byte") }
            let a = position()
            let b = position()
            out.swapAt(a, b)
            return (out, "swapped bytes \(a) and \(b)")
        default:
            guard count >= 8 else { return (bytes + [7], "appended a byte") }
            let at = Int(g.next() % UInt64(count - 7))
            let huge: UInt64 = [1 << 40, 1 << 62, UInt64.max, UInt64(Int.max)][Int(g.next() % 4)]
            for k in 0..<8 { out[at + k] = UInt8(truncatingIfNeeded: huge >> (8 * UInt64(k))) }
            return (out, "wrote \(huge) as 8 bytes at \(at)")
        }
    }
}
