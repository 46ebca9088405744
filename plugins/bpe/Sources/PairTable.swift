/// An open-addressing hash map from a pair of token ids to a 64-bit value, for the hot loops of
/// training and encoding (Swift's `Dictionary` hashes with SipHash and is several times slower).
///
/// Keys are `left << 32 | right`; the all-ones key is reserved as the empty marker, which is
/// never a valid pair because ids are below 2^31. Linear probing; the table doubles at half load.
struct PairTable {
    private(set) var keys: [UInt64]
    private(set) var values: [UInt64]
    private(set) var count = 0
    private var mask: Int
    private var shift: UInt64

    static let empty = UInt64.max

    init(minimumCapacity: Int = 16) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always) static func key(_ left: UInt32, _ right: UInt32) -> UInt64 {
        UInt64(left) << 32 | UInt64(right)
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        // Fibonacci hashing: the high bits of the product mix both halves of the key.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value stored for `key`, or nil.
    @inline(__always) func value(for key: UInt64) -> UInt64? {
        keys.withUnsafeBufferPointer { keys in
            var index = slot(key)
            while true {
                let found = keys[index]
                if found == key { return values.withUnsafeBufferPointer { $0[index] } }
                if found == Self.empty { return nil }
                index = (index + 1) & mask
            }
        }
    }

    /// Stores `value` for `key`, replacing any earlier value.
    mutating func set(_ value: UInt64, for key: UInt64) {
        let index = findOrInsert(key)
        values[index] = value
    }

    /// The slot holding `key`, inserting it with value 0 when absent.
    mutating func findOrInsert(_ key: UInt64) -> Int {
        if (count + 1) * 2 > keys.count { grow() }
        let start = slot(key)
        let mask = self.mask
        let (index, isNew) = keys.withUnsafeBufferPointer { keys -> (Int, Bool) in
            var index = start
            while true {
                let found = keys[index]
                if found == key { return (index, false) }
                if found == Self.empty { return (index, true) }
                index = (index + 1) & mask
            }
        }
        if isNew {
            keys[index] = key
            values[index] = 0
            count += 1
        }
        return index
    }

    /// Read/write access to a slot's value.
    subscript(slot index: Int) -> UInt64 {
        get { values[index] }
        set { values[index] = newValue }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let capacity = keys.count * 2
        keys = [UInt64](repeating: Self.empty, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        count = 0
        for (index, key) in oldKeys.enumerated() where key != Self.empty {
            let slot = findOrInsert(key)
            values[slot] = oldValues[index]
        }
    }
}
