import Foundation

/// One frame of the protocol: a JSON header and an optional binary payload.
///
/// Wire form (PROTOCOL.md, "Framing"): uint32 LE header length, uint32 LE payload length, the
/// header's UTF-8 JSON, the payload. Two fixed lengths up front, as LSP's Content-Length but
/// binary, so the payload needs no escaping and a reader knows how much to expect before
/// reading any of it.
struct Frame: Sendable {
    /// The decoded header.
    var header: ProtocolHeader
    /// The raw payload (documents as bytes, or packed symbols).
    var payload: [UInt8]

    /// Bytes before the header: two uint32 lengths.
    static let prefixBytes = 8

    /// The wire bytes of a frame.
    static func encode(_ header: ProtocolHeader, payload: [UInt8] = []) -> [UInt8] {
        let json = header.json
        var out = [UInt8]()
        out.reserveCapacity(prefixBytes + json.count + payload.count)
        appendUInt32(UInt32(truncatingIfNeeded: json.count), to: &out)
        appendUInt32(UInt32(truncatingIfNeeded: payload.count), to: &out)
        out.append(contentsOf: json)
        out.append(contentsOf: payload)
        return out
    }

    private static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }

    /// What `decodeLengths` found at the front of a buffer.
    enum Prefix {
        /// Fewer than 8 bytes so far.
        case incomplete
        /// A header and payload of these lengths follow.
        case frame(headerBytes: Int, payloadBytes: Int)
    }

    /// Reads the two lengths at the front of `buffer`.
    /// - Throws: `ProtocolViolation` when a length exceeds the host's limits (garbage output).
    static func decodeLengths(_ buffer: [UInt8]) throws(ProtocolViolation) -> Prefix {
        guard buffer.count >= prefixBytes else { return .incomplete }
        let headerBytes = readUInt32(buffer, at: 0)
        let payloadBytes = readUInt32(buffer, at: 4)
        guard headerBytes >= 2, headerBytes <= ExternalProtocol.maxHeaderBytes else {
            throw ProtocolViolation(
                "frame announces a \(headerBytes)-byte JSON header (allowed 2...\(ExternalProtocol.maxHeaderBytes)); "
                    + "first bytes \(hexPreview(buffer)): is the plugin printing to standard output?")
        }
        guard payloadBytes <= ExternalProtocol.maxPayloadBytes else {
            throw ProtocolViolation(
                "frame announces a \(payloadBytes)-byte payload, more than \(ExternalProtocol.maxPayloadBytes); "
                    + "first bytes \(hexPreview(buffer))")
        }
        return .frame(headerBytes: headerBytes, payloadBytes: payloadBytes)
    }

    /// Parses a complete frame's bytes (prefix included).
    static func decode(_ bytes: consuming [UInt8], headerBytes: Int) throws(ProtocolViolation) -> Frame {
        let json = Array(bytes[prefixBytes..<(prefixBytes + headerBytes)])
        let header: ProtocolHeader
        do {
            header = try ProtocolHeader(json: json)
        } catch {
            let preview = String(decoding: json.prefix(200), as: UTF8.self)
            throw ProtocolViolation("frame header is not a valid message (\(error.message)): \(preview)")
        }
        // The payload is what remains once the prefix and header are removed, in place: it is
        // most of the frame, and a copy would allocate and fill it a second time.
        var payload = bytes
        payload.removeSubrange(0..<(prefixBytes + headerBytes))
        return Frame(header: header, payload: payload)
    }

    private static func hexPreview(_ buffer: [UInt8]) -> String {
        let head = buffer.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: " ")
        let text = String(decoding: buffer.prefix(16).map { (32..<127).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
        return "[\(head)] \"\(text)\""
    }
}
