/// application/vnd.oma.lwm2m+json (11543, LwM2M 1.0 §6.4.4):
/// `{"bn":"/3/0/","e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"6/0","v":1}]}`.
/// Members: `v` number, `sv` string (and base64 opaque), `bv` boolean, `ov` objlnk "3:0",
/// `t` time (ignored). A name is read relative to `bn`, or to the request path when there is no
/// `bn` and the name is not absolute.
public enum LwM2MJSON {
    public static func encode(_ node: LwM2MNode, at path: LwM2MPath) -> [UInt8] {
        Array(encodeJSON(node, at: path).serialized.utf8)
    }

    public static func encodeJSON(_ node: LwM2MNode, at path: LwM2MPath) -> JSONValue {
        let values = node.flattened(at: path)
        let base = path.isRoot ? "/" : path.description + "/"
        let entries = values.map { pv -> JSONValue in
            let relative = pv.path.ids.dropFirst(path.ids.count).map(String.init).joined(separator: "/")
            return .object([("n", .string(relative)), member(pv.value)])
        }
        return .object([("bn", .string(base)), ("e", .array(entries))])
    }

    static func member(_ v: ResourceValue) -> (key: String, value: JSONValue) {
        switch v {
        case .string(let s), .corelnk(let s): ("sv", .string(s))
        case .integer(let i), .time(let i): ("v", .number(i))
        case .unsignedInteger(let u): ("v", .number(u))
        case .float(let d): ("v", .number(d))
        case .boolean(let b): ("bv", .bool(b))
        case .opaque(let b): ("sv", .string(Base64.encode(b)))
        case .objlnk(let l): ("ov", .string(l.description))
        }
    }

    public static func decode(_ bytes: [UInt8], at path: LwM2MPath,
                              definition: ObjectDefinition?) throws(ContentError) -> LwM2MNode {
        var defs: [UInt16: ObjectDefinition] = [:]
        if let definition { defs[definition.id] = definition }
        return try LwM2MNode.build(from: decodeValues(bytes, definitions: defs, relativeTo: path), at: path,
                                   definition: definition)
    }

    /// The entries as (full path, value); see the type's contract for names.
    public static func decodeValues(_ bytes: [UInt8], definitions: [UInt16: ObjectDefinition],
                                    relativeTo base: LwM2MPath = .root) throws(ContentError) -> [(path: LwM2MPath, value: ResourceValue)] {
        let doc = try JSONValue.parse(bytes)
        guard case .object = doc else { throw .malformed("LwM2M JSON: not an object") }
        if let bn = doc["bn"], bn.stringValue == nil { throw .malformed("LwM2M JSON: bn is not a string") }
        guard let entries = doc["e"]?.arrayValue else { throw .malformed("LwM2M JSON: no \"e\" array") }
        let bn = doc["bn"]?.stringValue
        var out: [(LwM2MPath, ResourceValue)] = []
        for e in entries {
            guard case .object = e else { throw .malformed("LwM2M JSON: entry is not an object") }
            if let n = e["n"], n.stringValue == nil { throw .malformed("LwM2M JSON: n is not a string") }
            let name = e["n"]?.stringValue ?? ""
            var prefix = bn ?? (name.hasPrefix("/") ? "" : (base.isRoot ? "/" : base.description + "/"))
            // "bn":"/3/0" with "n":"1" means /3/0/1 in the examples of some servers.
            if !prefix.hasSuffix("/") && !name.isEmpty && !name.hasPrefix("/") { prefix += "/" }
            guard let path = LwM2MNode.resolve(name, base: prefix) else {
                throw .malformed("LwM2M JSON: name \"\(prefix + name)\" is not an LwM2M path")
            }
            let type = path.objectID.flatMap { definitions[$0] }.flatMap { d in path.resourceID.flatMap { d[$0]?.type } }
            out.append((path, try JSONValues.value(of: e, fields: ("v", "sv", "bv", "", "ov"), type: type,
                                                   path: path, urlSafeOpaque: false)))
        }
        return out
    }
}
