/// text/plain (0, LwM2M 1.0 §6.4.1): one resource value as text. Integers, unsigned and time
/// in decimal, floats in decimal, booleans `0`/`1`, objlnk `a:b`, strings as they are.
///
/// Opaque values travel as their raw bytes, not base64 as LwM2M 1.1 §7.4.1 asks: the module's
/// Andlink flow writes JSON text to the opaque /19/1/0 in text/plain and the host is shown that
/// text, so the bytes must be the text itself.
public enum PlainText {
    public static func encode(_ node: LwM2MNode) throws(ContentError) -> [UInt8] {
        switch node {
        case .resource(let r):
            guard case .single(let v) = r.value else { throw .notRepresentable("text/plain for a multiple resource") }
            return encodeValue(v)
        case .resourceInstance(_, let v):
            return encodeValue(v)
        default:
            throw .notRepresentable("text/plain carries one resource")
        }
    }

    public static func encodeValue(_ v: ResourceValue) -> [UInt8] {
        if case .opaque(let b) = v { return b }
        return Array(text(v).utf8)
    }

    /// The value as the text the format uses.
    public static func text(_ v: ResourceValue) -> String {
        switch v {
        case .string(let s), .corelnk(let s): s
        case .integer(let i), .time(let i): String(i)
        case .unsignedInteger(let u): String(u)
        case .float(let d): formatFloat(d)
        case .boolean(let b): b ? "1" : "0"
        case .opaque(let b): String(decoding: b, as: UTF8.self)
        case .objlnk(let l): l.description
        }
    }

    /// Whole numbers keep one decimal (`25.0`) so that the text still reads as a float.
    static func formatFloat(_ d: Double) -> String { d.description }

    public static func decode(_ bytes: [UInt8], at path: LwM2MPath,
                              definition: ObjectDefinition?) throws(ContentError) -> LwM2MNode {
        let type = path.resourceID.flatMap { definition?[$0]?.type } ?? .opaque
        switch path.level {
        case .resource:
            guard let rid = path.resourceID else { break }
            return .resource(.single(rid, try decodeValue(bytes, as: type, path: path)))
        case .resourceInstance:
            guard let riid = path.resourceInstanceID else { break }
            return .resourceInstance(id: riid, value: try decodeValue(bytes, as: type, path: path))
        default: break
        }
        throw .notRepresentable("text/plain needs a resource path, not \(path)")
    }

    public static func decodeValue(_ bytes: [UInt8], as type: ResourceType, path: LwM2MPath) throws(ContentError) -> ResourceValue {
        if type == .opaque || type == .none { return .opaque(bytes) }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw .typeMismatch(path: path, expected: type) }
        guard let v = value(s, as: type) else { throw .typeMismatch(path: path, expected: type) }
        return v
    }

    /// Parses text as a value of `type`; nil when it does not fit. Used by the JSON formats too.
    public static func value(_ s: String, as type: ResourceType) -> ResourceValue? {
        switch type {
        case .string: return .string(s)
        case .corelnk: return .corelnk(s)
        case .opaque, .none: return .opaque(Array(s.utf8))
        case .integer: return Int64(s).map(ResourceValue.integer)
        case .time: return Int64(s).map(ResourceValue.time)
        case .unsignedInteger: return UInt64(s).map(ResourceValue.unsignedInteger)
        case .float:
            guard let d = Double(s), d.isFinite else { return nil }
            return .float(d)
        case .boolean:
            switch s {
            case "0": return .boolean(false)
            case "1": return .boolean(true)
            default: return nil
            }
        case .objlnk: return ObjectLink(s).map(ResourceValue.objlnk)
        }
    }
}
