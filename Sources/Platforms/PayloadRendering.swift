import LwM2M

/// Turns what a client sent (a read answer, a notification, a Send) into lines a person reads:
/// TLV, SenML and LwM2M JSON as `path = value`, opaque as hex plus its printable text, link-format
/// one link a line. Undecodable payloads are shown as hex with the reason, never dropped.
public enum PayloadRendering {
    public static func lines(_ bytes: [UInt8], format: ContentFormat?, at path: LwM2MPath,
                             definitions: [UInt16: ObjectDefinition] = ObjectDefinition.standard) -> [String] {
        guard !bytes.isEmpty else { return ["(empty)"] }
        let format = format?.canonical ?? .textPlain
        do {
            switch format {
            case .linkFormat:
                return try LinkFormat.decode(bytes).map { LinkFormat.encode([$0]) }
            case .senmlJSON:
                return try SenMLJSON.decodeValues(bytes, definitions: definitions, relativeTo: path).map(line)
            case .lwm2mJSON:
                return try LwM2MJSON.decodeValues(bytes, definitions: definitions, relativeTo: path).map(line)
            case .textPlain, .opaque, .tlv:
                let definition = path.objectID.flatMap { definitions[$0] }
                let node = try ContentCodec.decode(bytes, format: format, at: path, definition: definition)
                return node.flattened(at: path).map(line)
            default:
                return ["(content format \(format.rawValue)) " + hexAndText(bytes)]
            }
        } catch {
            return ["(undecodable \(format): \(error)) " + hexAndText(bytes)]
        }
    }

    static func line(_ entry: (path: LwM2MPath, value: ResourceValue)) -> String {
        "\(entry.path) = \(text(entry.value))"
    }

    public static func text(_ value: ResourceValue) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .integer(let i), .time(let i): String(i)
        case .unsignedInteger(let u): String(u)
        case .float(let d): String(d)
        case .boolean(let b): b ? "true" : "false"
        case .opaque(let bytes): hexAndText(bytes)
        case .objlnk(let link): "\(link.objectID):\(link.instanceID)"
        case .corelnk(let s): s
        }
    }

    /// `0x4869 "Hi"`: hex always, and the bytes as text when they are printable UTF-8. Binary
    /// data with ASCII runs of two or more characters (the note's CT example
    /// `020001000400023238` ends in "28") shows those runs: `0x0200...3238 (text "28")`.
    public static func hexAndText(_ bytes: [UInt8]) -> String {
        let hex = "0x" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x0A || $0 == 0x0D || $0 >= 0x80 }
        guard printable, let s = String(validating: bytes, as: UTF8.self) else {
            let runs = textRuns(bytes)
            return runs.isEmpty ? hex : "\(hex) (text " + runs.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
        }
        return "\(hex) \"\(s)\""
    }

    /// Runs of at least `minimum` printable ASCII characters, in order.
    static func textRuns(_ bytes: [UInt8], minimum: Int = 2) -> [String] {
        var runs: [String] = []
        var current: [UInt8] = []
        for b in bytes + [0] {
            if b >= 0x20 && b < 0x7F {
                current.append(b)
            } else {
                if current.count >= minimum { runs.append(String(decoding: current, as: UTF8.self)) }
                current = []
            }
        }
        return runs
    }
}
