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
    /// The datagram for this message (RFC 7252 §3).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + Int(token.count) + options.count * 4 + payload.count + 1)
        encode(into: &out)
        return out
    }

    public func encode(into out: inout [UInt8]) {
        out.append(0x40 | (type.rawValue << 4) | token.count)
        out.append(code.rawValue)
        out.append(UInt8(messageID >> 8))
        out.append(UInt8(messageID & 0xFF))
        var t = token.count
        while t > 0 { t -= 1; out.append(UInt8(truncatingIfNeeded: token.packed >> (UInt64(t) * 8))) }
        var previous: UInt16 = 0
        for o in options {
            let delta = Int(o.number.rawValue - previous)
            let length = o.value.count
            previous = o.number.rawValue
            out.append((Self.nibble(delta) << 4) | Self.nibble(length))
            Self.appendExtended(delta, to: &out)
            Self.appendExtended(length, to: &out)
            out.append(contentsOf: o.value)
        }
        if !payload.isEmpty {
            out.append(0xFF)
            out.append(contentsOf: payload)
        }
    }

    @inline(__always) private static func nibble(_ v: Int) -> UInt8 {
        v < 13 ? UInt8(v) : (v < 269 ? 13 : 14)
    }

    @inline(__always) private static func appendExtended(_ v: Int, to out: inout [UInt8]) {
        if v >= 269 {
            let e = v - 269
            out.append(UInt8(e >> 8))
            out.append(UInt8(e & 0xFF))
        } else if v >= 13 {
            out.append(UInt8(v - 13))
        }
    }

    /// Decodes a datagram. Anything malformed throws and leaves nothing half-built.
    public init<Bytes: RandomAccessCollection>(decoding bytes: Bytes) throws(MessageDecodingError)
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var i = bytes.startIndex
        let end = bytes.endIndex
        guard end - i >= 4 else { throw .truncatedHeader }
        let b0 = bytes[i]
        guard b0 >> 6 == 1 else { throw .wrongVersion(b0 >> 6) }
        let type = MessageType(rawValue: (b0 >> 4) & 3)!
        let tkl = Int(b0 & 0x0F)
        guard tkl <= 8 else { throw .tokenTooLong(tkl) }
        let code = Code(rawValue: bytes[i + 1])
        let mid = UInt16(bytes[i + 2]) << 8 | UInt16(bytes[i + 3])
        i += 4
        guard end - i >= tkl else { throw .truncatedToken }
        var packed: UInt64 = 0
        for k in 0..<tkl { packed = (packed << 8) | UInt64(bytes[i + k]) }
        i += tkl
        if code.isEmpty && (tkl != 0 || end != i) { throw .emptyMessageNotEmpty }

        var options: [Option] = []
        var number = 0
        var payload: [UInt8] = []
        while i < end {
            let head = bytes[i]
            i += 1
            if head == 0xFF {
                guard i < end else { throw .payloadMarkerWithoutPayload }
                payload = Array(bytes[i..<end])
                break
            }
            let delta = try Self.readExtended(Int(head >> 4), bytes, &i)
            let length = try Self.readExtended(Int(head & 0x0F), bytes, &i)
            number += delta
            guard number <= 0xFFFF else { throw .optionNumberTooLarge }
            guard end - i >= length else { throw .truncatedOption }
            options.append(Option(OptionNumber(UInt16(number)), Array(bytes[i..<(i + length)])))
            i += length
        }
        // Options arrive sorted by construction (deltas are non-negative), so no re-sort.
        self.init(type: type, code: code, messageID: mid, token: Token(packed: packed, count: UInt8(tkl)))
        self.setDecodedOptions(options)
        self.payload = payload
    }

    @inline(__always)
    private static func readExtended<Bytes: RandomAccessCollection>(
        _ nibble: Int, _ bytes: Bytes, _ i: inout Int
    ) throws(MessageDecodingError) -> Int where Bytes.Element == UInt8, Bytes.Index == Int {
        switch nibble {
        case 13:
            guard i < bytes.endIndex else { throw .truncatedOption }
            defer { i += 1 }
            return Int(bytes[i]) + 13
        case 14:
            guard bytes.endIndex - i >= 2 else { throw .truncatedOption }
            defer { i += 2 }
            return (Int(bytes[i]) << 8 | Int(bytes[i + 1])) + 269
        case 15:
            throw .reservedOptionNibble
        default:
            return nibble
        }
    }
}
