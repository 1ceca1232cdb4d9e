/// Reading one typed value out of a JSON record, shared by SenML JSON and LwM2M JSON (which
/// name the same fields differently).
enum JSONValues {
    /// `fields`: the names of the number, string, boolean, opaque and objlnk members.
    /// LwM2M JSON has no opaque member (opaque is base64 in the string member): pass "".
    static func value(of rec: JSONValue, fields f: (number: String, string: String, bool: String, opaque: String, objlnk: String),
                      type: ResourceType?, path: LwM2MPath, urlSafeOpaque: Bool) throws(ContentError) -> ResourceValue {
        let mismatch = ContentError.typeMismatch(path: path, expected: type ?? .opaque)
        if let v = rec[f.number] {
            guard let text = v.numberText else { throw .malformed("\(f.number) is not a number at \(path)") }
            switch type {
            case .integer?: if let i = Int64(text) { return .integer(i) }
            case .time?: if let i = Int64(text) { return .time(i) }
            case .unsignedInteger?: if let u = UInt64(text) { return .unsignedInteger(u) }
            case .float?: if let d = Double(text) { return .float(d) }
            case nil, .opaque?, .none?:
                if let i = Int64(text) { return .integer(i) }
                if let d = Double(text) { return .float(d) }
            default: break
            }
            // Some servers write integers as 3.0: accept integral floats for integer types.
            if let d = Double(text), d.isFinite, let i = Int64(exactly: d) {
                switch type {
                case .integer?: return .integer(i)
                case .time?: return .time(i)
                case .unsignedInteger? where i >= 0: return .unsignedInteger(UInt64(i))
                default: break
                }
            }
            throw mismatch
        }
        if let v = rec[f.string] {
            guard let s = v.stringValue else { throw .malformed("\(f.string) is not a string at \(path)") }
            switch type {
            case .string?, nil: return .string(s)
            case .corelnk?: return .corelnk(s)
            case .opaque?, .none?:
                // LwM2M JSON carries opaque as base64 text; SenML's vs for an opaque resource is
                // taken as the text itself (the Andlink JSON-in-/19/1/0 case).
                if f.opaque.isEmpty {
                    guard let b = Base64.decode(s) else { throw mismatch }
                    return .opaque(b)
                }
                return .opaque(Array(s.utf8))
            case .some(let t):
                guard let parsed = PlainText.value(s, as: t) else { throw mismatch }
                return parsed
            }
        }
        if let v = rec[f.bool] {
            guard let b = v.boolValue else { throw .malformed("\(f.bool) is not a boolean at \(path)") }
            guard type == nil || type == .boolean else { throw mismatch }
            return .boolean(b)
        }
        if !f.opaque.isEmpty, let v = rec[f.opaque] {
            guard let s = v.stringValue, let b = Base64.decode(s) else { throw .malformed("\(f.opaque) is not base64 at \(path)") }
            guard type == nil || type == .opaque || type == .none else { throw mismatch }
            return .opaque(b)
        }
        if let v = rec[f.objlnk] {
            guard let s = v.stringValue, let l = ObjectLink(s) else { throw .malformed("\(f.objlnk) is not an objlnk at \(path)") }
            guard type == nil || type == .objlnk else { throw mismatch }
            return .objlnk(l)
        }
        throw .malformed("no value in the record for \(path)")
    }
}
