/// Why a datagram is not a CoAP message. Every case is a reason to drop it and log why.
public enum MessageDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    case truncatedHeader
    case wrongVersion(UInt8)
    case tokenTooLong(Int)
    case truncatedToken
    case reservedOptionNibble
    case truncatedOption
    case optionNumberTooLarge
    case payloadMarkerWithoutPayload
    case emptyMessageNotEmpty

    public var description: String {
        switch self {
        case .truncatedHeader: "truncated header (under 4 bytes)"
        case .wrongVersion(let v): "wrong version \(v)"
        case .tokenTooLong(let n): "token length \(n) over 8"
        case .truncatedToken: "truncated token"
        case .reservedOptionNibble: "option delta or length 15 outside the payload marker"
        case .truncatedOption: "truncated option"
        case .optionNumberTooLarge: "option number over 65535"
        case .payloadMarkerWithoutPayload: "payload marker with no payload"
        case .emptyMessageNotEmpty: "empty message (code 0.00) with token, options or payload"
        }
    }
}

extension Message {
    /// The number of bytes `encoded()` produces.
    public var encodedCount: Int {
        4 + Int(token.count) + tail.count
    }

    /// The datagram for this message (RFC 7252 §3).
    public func encoded() -> [UInt8] {
        // `reserveCapacity` on an empty array stays specialized; `init(unsafeUninitializedCapacity:)`
        // went through generic metadata lookups on every call and was a third slower.
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    /// Appends the datagram for this message to `out`.
    public func encode(into out: inout [UInt8]) {
        out.reserveCapacity(out.count + encodedCount)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 12) { header in
            guard let base = header.baseAddress else { return }
            writeHeader(to: base)
            out.append(contentsOf: UnsafeBufferPointer(start: base, count: 4 + Int(token.count)))
        }
        out.append(contentsOf: tail)
    }

    /// Writes the 4 header bytes and the token.
    @inline(__always)
    private func writeHeader(to p: UnsafeMutablePointer<UInt8>) {
        let tkl = Int(token.count)
        p[0] = 0x40 | (type.rawValue << 4) | UInt8(tkl)
        p[1] = code.rawValue
        p[2] = UInt8(truncatingIfNeeded: messageID >> 8)
        p[3] = UInt8(truncatingIfNeeded: messageID)
        var k = 0
        while k < tkl {
            p[4 + k] = UInt8(truncatingIfNeeded: token.packed >> (UInt64(tkl - 1 - k) * 8))
            k += 1
        }
    }

    /// Decodes a datagram, sharing its storage. Anything malformed throws.
    public init(decoding bytes: [UInt8]) throws(MessageDecodingError) {
        try self.init(decoding: bytes[...])
    }

    /// Decodes a datagram, sharing its storage. Anything malformed throws.
    public init(decoding bytes: ArraySlice<UInt8>) throws(MessageDecodingError) {
        let layout = bytes.withUnsafeBufferPointer { Self.scan($0) }
        switch layout {
        case .failure(let error):
            throw error
        case .success(let l):
            let base = bytes.startIndex
            self.init(type: l.type, code: l.code, messageID: l.messageID, token: l.token,
                      tail: bytes[(base + l.optionsStart)...], optionsCount: l.optionsEnd - l.optionsStart)
        }
    }

    /// Decodes a datagram held in any byte collection (copied once).
    public init<Bytes: RandomAccessCollection>(decoding bytes: Bytes) throws(MessageDecodingError)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        try self.init(decoding: Array(bytes)[...])
    }

    /// Where the parts of a well-formed datagram lie, as offsets from its start.
    private struct Layout {
        var type: MessageType
        var code: Code
        var messageID: UInt16
        var token: Token
        var optionsStart: Int
        var optionsEnd: Int
    }

    /// Checks the whole datagram before anything is built, so a failure leaves nothing behind.
    private static func scan(_ p: UnsafeBufferPointer<UInt8>) -> Result<Layout, MessageDecodingError> {
        let end = p.count
        guard end >= 4 else { return .failure(.truncatedHeader) }
        let b0 = p[0]
        guard b0 >> 6 == 1 else { return .failure(.wrongVersion(b0 >> 6)) }
        let type = MessageType(rawValue: (b0 >> 4) & 3) ?? .reset
        let tkl = Int(b0 & 0x0F)
        guard tkl <= 8 else { return .failure(.tokenTooLong(tkl)) }
        let code = Code(rawValue: p[1])
        let mid = UInt16(p[2]) << 8 | UInt16(p[3])
        guard end - 4 >= tkl else { return .failure(.truncatedToken) }
        var packed: UInt64 = 0
        var i = 4
        while i < 4 + tkl { packed = (packed << 8) | UInt64(p[i]); i += 1 }
        if code.isEmpty && end != 4 { return .failure(.emptyMessageNotEmpty) }
        let optionsStart = i
        var optionsEnd = end
        var number = 0
        while i < end {
            let head = p[i]
            if head == 0xFF {
                guard i + 1 < end else { return .failure(.payloadMarkerWithoutPayload) }
                optionsEnd = i
                break
            }
            i += 1
            var delta = Int(head >> 4)
            var length = Int(head & 0x0F)
            switch delta {
            case 13:
                guard i < end else { return .failure(.truncatedOption) }
                delta = Int(p[i]) + 13
                i += 1
            case 14:
                guard end - i >= 2 else { return .failure(.truncatedOption) }
                delta = (Int(p[i]) << 8 | Int(p[i + 1])) + 269
                i += 2
            case 15:
                return .failure(.reservedOptionNibble)
            default:
                break
            }
            switch length {
            case 13:
                guard i < end else { return .failure(.truncatedOption) }
                length = Int(p[i]) + 13
                i += 1
            case 14:
                guard end - i >= 2 else { return .failure(.truncatedOption) }
                length = (Int(p[i]) << 8 | Int(p[i + 1])) + 269
                i += 2
            case 15:
                return .failure(.reservedOptionNibble)
            default:
                break
            }
            number += delta
            guard number <= 0xFFFF else { return .failure(.optionNumberTooLarge) }
            guard end - i >= length else { return .failure(.truncatedOption) }
            i += length
        }
        return .success(Layout(type: type, code: code, messageID: mid,
                               token: Token(packed: packed, count: UInt8(tkl)),
                               optionsStart: optionsStart, optionsEnd: optionsEnd))
    }
}
