/// application/senml+json (110, RFC 8428 as profiled by LwM2M 1.1 §7.4.4).
///
/// Records carry `bn` (base name, kept until the next `bn`), `n` (name), one of `v` (number:
/// integer, unsigned, float, time), `vs` (string, corelnk; and the text of an opaque value in the
/// Andlink flow), `vb` (boolean), `vd` (opaque, base64url without padding), `vlo` (objlnk "3:0"),
/// and `t`/`bt` (time, read and ignored by this model). The full name is bn + n.
public enum SenMLJSON {
    public static func encode(_ node: LwM2MNode, at path: LwM2MPath) -> [UInt8] {
        Array(encodeJSON(node, at: path).serialized.utf8)
    }

    /// A single value sits in one record named by its full path; several values share
    /// `bn` = the target path plus "/" and carry relative names.
    public static func encodeJSON(_ node: LwM2MNode, at path: LwM2MPath) -> JSONValue {
        let values = node.flattened(at: path)
        if values.count == 1, values[0].path == path {
            return .array([.object([("bn", .string(path.description))] + [valueMember(values[0].value)])])
        }
        let base = path.isRoot ? "/" : path.description + "/"
        var records: [JSONValue] = []
        for (i, pv) in values.enumerated() {
            let relative = pv.path.ids.dropFirst(path.ids.count).map(String.init).joined(separator: "/")
            var members: [(key: String, value: JSONValue)] = []
            if i == 0 { members.append(("bn", .string(base))) }
            members.append(("n", .string(relative)))
            members.append(valueMember(pv.value))
            records.append(.object(members))
        }
        return .array(records)
    }

    /// Records from several objects at once (a Send, `POST /dp`): the values as full paths.
    public static func encode(values: [(path: LwM2MPath, value: ResourceValue)]) -> [UInt8] {
        let records = values.map { JSONValue.object([("n", .string($0.path.description)), valueMember($0.value)]) }
        return Array(JSONValue.array(records).serialized.utf8)
    }

    static func valueMember(_ v: ResourceValue) -> (key: String, value: JSONValue) {
        switch v {
        case .string(let s), .corelnk(let s): ("vs", .string(s))
        case .integer(let i), .time(let i): ("v", .number(i))
        case .unsignedInteger(let u): ("v", .number(u))
        case .float(let d): ("v", .number(d))
        case .boolean(let b): ("vb", .bool(b))
        case .opaque(let b): ("vd", .string(Base64.encode(b, urlSafe: true)))
        case .objlnk(let l): ("vlo", .string(l.description))
        }
    }

    public static func decode(_ bytes: [UInt8], at path: LwM2MPath,
                              definition: ObjectDefinition?) throws(ContentError) -> LwM2MNode {
        var defs: [UInt16: ObjectDefinition] = [:]
        if let definition { defs[definition.id] = definition }
        let values = try decodeValues(bytes, definitions: defs, relativeTo: path)
        return try LwM2MNode.build(from: values, at: path, definition: definition)
    }

    /// The records as (full path, value). Names that are not absolute and have no `bn` are read
    /// relative to `relativeTo`. Types come from `definitions`; without one, the record's own
    /// field decides (`v` with a fraction or exponent is a float, else an integer).
    public static func decodeValues(_ bytes: [UInt8], definitions: [UInt16: ObjectDefinition],
                                    relativeTo base: LwM2MPath = .root) throws(ContentError) -> [(path: LwM2MPath, value: ResourceValue)] {
        guard case .array(let records) = try JSONValue.parse(bytes) else { throw .malformed("SenML: not an array") }
        var baseName: String?
        var out: [(LwM2MPath, ResourceValue)] = []
        for rec in records {
            guard case .object = rec else { throw .malformed("SenML: record is not an object") }
            if let bn = rec["bn"] {
                guard let s = bn.stringValue else { throw .malformed("SenML: bn is not a string") }
                baseName = s
            }
            if let n = rec["n"], n.stringValue == nil { throw .malformed("SenML: n is not a string") }
            let name = rec["n"]?.stringValue ?? ""
            let prefix = baseName ?? (name.hasPrefix("/") ? "" : (base.isRoot ? "/" : base.description + "/"))
            guard let path = LwM2MNode.resolve(name, base: prefix) else {
                throw .malformed("SenML: name \"\(prefix + name)\" is not an LwM2M path")
            }
            let type = path.objectID.flatMap { definitions[$0] }.flatMap { d in path.resourceID.flatMap { d[$0]?.type } }
            out.append((path, try JSONValues.value(of: rec, fields: ("v", "vs", "vb", "vd", "vlo"), type: type,
                                                   path: path, urlSafeOpaque: true)))
        }
        return out
    }
}
