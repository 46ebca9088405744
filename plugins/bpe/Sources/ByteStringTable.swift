import Foundation

/// An open-addressing hash map from short byte strings to a 64-bit value, storing the strings in
/// one arena. Used to count pre-tokenized words when training and to cache encoded words.
///
/// Memory is the arena (the distinct strings) plus 24 bytes per slot: bounded by the number of
/// distinct words, never by corpus size.
struct ByteStringTable {
    /// The bytes of every stored string, back to back.
    private(set) var arena: [UInt8] = []
    /// Per slot: the string's hash, or 0 for an empty slot.
    private var hashes: [UInt64]
    /// Per slot: the string's start in `arena` (high 40 bits) and length (low 24 bits).
    private var locations: [UInt64]
    /// Per slot: the stored value.
    private(set) var values: [UInt64]
    /// Slots in insertion order, so iteration is deterministic.
    private(set) var order: [Int32] = []
    private var mask: Int

    /// Longest string stored; longer ones are never inserted (callers check).
    static let maximumLength = (1 << 24) - 1

    init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        hashes = [UInt64](repeating: 0, count: capacity)
        locations = [UInt64](repeating: 0, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Number of strings stored.
    var count: Int { order.count }

    /// A 64-bit hash of bytes, never 0 (0 marks an empty slot). FNV-1a over 8-byte words, then mixed.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var state: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(range.count)
        var position = range.lowerBound
        guard let address = bytes.baseAddress else { return state | 1 }
        let base = UnsafeRawPointer(address)
        while position + 8 <= range.upperBound {
            let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            state = (state ^ word) &* 0x0000_0100_0000_01B3
            state ^= state >> 29
            position += 8
        }
        var tail: UInt64 = 0
        var shiftBits: UInt64 = 0
        while position < range.upperBound {
            tail |= UInt64(bytes[position]) << shiftBits
            shiftBits += 8
            position += 1
        }
        state = (state ^ tail) &* 0x0000_0100_0000_01B3
        state ^= state >> 32
        state = state &* 0xD6E8_FEB8_6659_FD93
        state ^= state >> 32
        return state | 1
    }

    /// The slot of the string `bytes[range]`, or -1 when absent.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> Int {
        hashes.withUnsafeBufferPointer { hashes in
            locations.withUnsafeBufferPointer { locations in
                arena.withUnsafeBufferPointer { arena in
                    var index = Int(truncatingIfNeeded: hash >> 7) & mask
                    while true {
                        let stored = hashes[index]
                        if stored == 0 { return -1 }
                        if stored == hash {
                            let location = locations[index]
                            let length = Int(location & 0xFF_FFFF)
                            if length == range.count {
                                let start = Int(location >> 24)
                                guard length > 0, let stored = arena.baseAddress, let probe = bytes.baseAddress else {
                                    return index
                                }
                                if memcmp(stored + start, probe + range.lowerBound, length) == 0 { return index }
                            }
                        }
                        index = (index + 1) & mask
                    }
                }
            }
        }
    }

    /// Inserts a string known to be absent, with `value`; returns its slot.
    /// - Precondition: `range.count <= maximumLength` and the string is absent.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64, value: UInt64) -> Int {
        if (order.count + 1) * 2 > hashes.count { grow() }
        let start = arena.count
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
        let location = UInt64(start) << 24 | UInt64(range.count)
        var index = Int(truncatingIfNeeded: hash >> 7) & mask
        hashes.withUnsafeMutableBufferPointer { hashes in
            while hashes[index] != 0 { index = (index + 1) & mask }
            hashes[index] = hash
        }
        locations[index] = location
        values[index] = value
        order.append(Int32(index))
        return index
    }

    /// Read/write access to a slot's value.
    subscript(slot index: Int) -> UInt64 {
        get { values[index] }
        set { values[index] = newValue }
    }

    /// The string stored in a slot, as a range of `arena`.
    func stringRange(slot index: Int) -> Range<Int> {
        let location = locations[index]
        let start = Int(location >> 24)
        return start..<(start + Int(location & 0xFF_FFFF))
    }

    /// Empties the table, keeping its capacity.
    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        for index in hashes.indices { hashes[index] = 0 }
    }

    private mutating func grow() {
        let capacity = hashes.count * 2
        var newHashes = [UInt64](repeating: 0, count: capacity)
        var newLocations = [UInt64](repeating: 0, count: capacity)
        var newValues = [UInt64](repeating: 0, count: capacity)
        let newMask = capacity - 1
        var newOrder: [Int32] = []
        newOrder.reserveCapacity(order.count)
        for old in order {
            let oldIndex = Int(old)
            let hash = hashes[oldIndex]
            var index = Int(truncatingIfNeeded: hash >> 7) & newMask
            while newHashes[index] != 0 { index = (index + 1) & newMask }
            newHashes[index] = hash
            newLocations[index] = locations[oldIndex]
            newValues[index] = values[oldIndex]
            newOrder.append(Int32(index))
        }
        hashes = newHashes
        locations = newLocations
        values = newValues
        order = newOrder
        mask = newMask
    }
}
