/// application/vnd.oma.lwm2m+tlv (11542, LwM2M 1.0 §6.4.3).
///
/// Each TLV is a type byte (bits 7–6 the kind of identifier, bit 5 an 8- or 16-bit identifier,
/// bits 4–3 the width of the length field: 0 means the length is in bits 2–0, else 1–3 bytes),
/// the identifier, the length and the value. Object instances and multiple resources nest TLVs
/// in their value. `TLV.Entry` is that raw structure; `TLV+Node.swift` maps it to `LwM2MNode`.
public enum TLV {
    public enum Kind: UInt8, Hashable, Sendable {
        case objectInstance = 0
        case resourceInstance = 1
        case multipleResource = 2
        case resource = 3
    }

    /// One TLV. `children` is used by object instances and multiple resources, `value` by the
    /// other two kinds; the encoder writes whichever the kind calls for.
    public struct Entry: Hashable, Sendable {
        public var kind: Kind
        public var id: UInt16
        public var value: [UInt8]
        public var children: [Entry]

        public init(kind: Kind, id: UInt16, value: [UInt8] = [], children: [Entry] = []) {
            self.kind = kind
            self.id = id
            self.value = value
            self.children = children
        }

        public var isContainer: Bool { kind == .objectInstance || kind == .multipleResource }
    }

    // MARK: raw encoding

    public static func encode(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        for e in entries { encode(e, into: &out) }
        return out
    }

    public static func encode(_ e: Entry, into out: inout [UInt8]) {
        let body = e.isContainer ? encode(e.children) : e.value
        var type = e.kind.rawValue << 6
        if e.id > 0xFF { type |= 0x20 }
        let n = body.count
        let lengthBytes: [UInt8]
        switch n {
        case 0...7: type |= UInt8(n); lengthBytes = []
        case 8...0xFF: type |= 0x08; lengthBytes = [UInt8(n)]
        case 0x100...0xFFFF: type |= 0x10; lengthBytes = [UInt8(n >> 8), UInt8(n & 0xFF)]
        default:
            // 24 bits is the format's limit (16 MiB); LwM2M payloads are far below it. Larger
            // bodies are cut to the limit rather than trapping, and the length says so.
            type |= 0x18
            let m = min(n, 0xFF_FFFF)
            lengthBytes = [UInt8(m >> 16), UInt8((m >> 8) & 0xFF), UInt8(m & 0xFF)]
        }
        out.append(type)
        if e.id > 0xFF { out.append(UInt8(e.id >> 8)) }
        out.append(UInt8(e.id & 0xFF))
        out += lengthBytes
        out += body.prefix(0xFF_FFFF)
    }

    // MARK: raw decoding

    /// Parses a sequence of TLVs, nesting into object instances and multiple resources. Throws
    /// on a length past the end, a nested kind that may not appear there, or trailing garbage.
    public static func decodeEntries(_ bytes: [UInt8]) throws(ContentError) -> [Entry] {
        try decodeEntries(bytes[...], inside: nil, depth: 0)
    }

    private static func decodeEntries(_ bytes: ArraySlice<UInt8>, inside parent: Kind?, depth: Int) throws(ContentError) -> [Entry] {
        var entries: [Entry] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let type = bytes[i]
            i += 1
            guard let kind = Kind(rawValue: type >> 6) else { throw .malformed("TLV type byte") }
            let idWidth = type & 0x20 != 0 ? 2 : 1
            let lengthWidth = Int((type >> 3) & 0x03)
            guard bytes.endIndex - i >= idWidth + lengthWidth else {
                throw .malformed("TLV header runs past the end at offset \(i - 1 - bytes.startIndex)")
            }
            var id: UInt16 = 0
            for _ in 0..<idWidth { id = id << 8 | UInt16(bytes[i]); i += 1 }
            var length = 0
            if lengthWidth == 0 {
                length = Int(type & 0x07)
            } else {
                for _ in 0..<lengthWidth { length = length << 8 | Int(bytes[i]); i += 1 }
            }
            guard bytes.endIndex - i >= length else {
                throw .malformed("TLV \(kind) \(id) length \(length) runs past the end")
            }
            let body = bytes[i..<(i + length)]
            i += length
            switch (parent, kind) {
            case (nil, _), (.objectInstance?, .resource), (.objectInstance?, .multipleResource),
                 (.multipleResource?, .resourceInstance):
                break
            default:
                throw .malformed("TLV \(kind) \(id) cannot appear inside \(parent.map { "\($0)" } ?? "the top level")")
            }
            if kind == .objectInstance || kind == .multipleResource {
                guard depth < 2 else { throw .malformed("TLV nested too deeply") }
                let children = try decodeEntries(body, inside: kind, depth: depth + 1)
                entries.append(Entry(kind: kind, id: id, children: children))
            } else {
                entries.append(Entry(kind: kind, id: id, value: Array(body)))
            }
        }
        return entries
    }
}
