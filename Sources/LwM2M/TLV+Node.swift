extension TLV {
    /// Encodes a node: an object as object-instance TLVs, an instance as its bare resource TLVs
    /// (as the spec's §6.4.3.1 example), a resource as one resource or multiple-resource TLV,
    /// a resource instance as one resource-instance TLV.
    public static func encode(_ node: LwM2MNode) -> [UInt8] {
        encode(entries(for: node))
    }

    public static func entries(for node: LwM2MNode) -> [Entry] {
        switch node {
        case .object(_, let instances):
            return instances.sorted { $0.id < $1.id }.map {
                Entry(kind: .objectInstance, id: $0.id, children: $0.sortedResources.map(entry(for:)))
            }
        case .instance(let inst):
            return inst.sortedResources.map(entry(for:))
        case .resource(let r):
            return [entry(for: r)]
        case .resourceInstance(let id, let v):
            return [Entry(kind: .resourceInstance, id: id, value: encodeValue(v))]
        }
    }

    static func entry(for r: Resource) -> Entry {
        switch r.value {
        case .single(let v):
            return Entry(kind: .resource, id: r.id, value: encodeValue(v))
        case .multiple:
            return Entry(kind: .multipleResource, id: r.id, children: r.sortedInstances.map {
                Entry(kind: .resourceInstance, id: $0.id, value: encodeValue($0.value))
            })
        }
    }

    /// Decodes a payload addressed to `path`. At an instance path the resources may come bare or
    /// wrapped in one object-instance TLV with that instance's id; at a resource path a multiple
    /// resource may come as its bare resource-instance TLVs.
    public static func decode(_ bytes: [UInt8], at path: LwM2MPath,
                              definition: ObjectDefinition?) throws(ContentError) -> LwM2MNode {
        let entries = try decodeEntries(bytes)
        switch path.level {
        case .root:
            throw .notRepresentable("TLV at the root path")
        case .object:
            guard let oid = path.objectID else { throw .notRepresentable("no object id") }
            var instances: [ObjectInstance] = []
            for e in entries {
                guard e.kind == .objectInstance else {
                    throw .malformed("expected object instance TLVs at \(path), found \(e.kind)")
                }
                instances.append(try instance(e.id, e.children, objectID: oid, definition: definition))
            }
            return .object(id: oid, instances: instances)
        case .instance:
            guard let oid = path.objectID, let iid = path.instanceID else { throw .notRepresentable("no instance id") }
            if entries.count == 1, entries[0].kind == .objectInstance {
                guard entries[0].id == iid else { throw .malformed("instance TLV \(entries[0].id) at \(path)") }
                return .instance(try instance(iid, entries[0].children, objectID: oid, definition: definition))
            }
            return .instance(try instance(iid, entries, objectID: oid, definition: definition))
        case .resource:
            // Some servers write a multiple resource as bare resource-instance TLVs.
            if let rid = path.resourceID, !entries.isEmpty, entries.allSatisfy({ $0.kind == .resourceInstance }) {
                return .resource(try resource(Entry(kind: .multipleResource, id: rid, children: entries),
                                              path: path, definition: definition))
            }
            guard entries.count == 1, let e = entries.first, let rid = path.resourceID,
                  e.kind == .resource || e.kind == .multipleResource else {
                throw .malformed("expected one resource TLV at \(path)")
            }
            guard e.id == rid else { throw .malformed("resource TLV \(e.id) at \(path)") }
            return .resource(try resource(e, path: path, definition: definition))
        case .resourceInstance:
            guard entries.count == 1, let e = entries.first, e.kind == .resourceInstance,
                  let riid = path.resourceInstanceID else {
                throw .malformed("expected one resource instance TLV at \(path)")
            }
            guard e.id == riid else { throw .malformed("resource instance TLV \(e.id) at \(path)") }
            let type = definition?[path.resourceID ?? 0]?.type ?? .opaque
            return .resourceInstance(id: e.id, value: try decodeValue(e.value, as: type, path: path))
        }
    }

    private static func instance(_ id: UInt16, _ entries: [Entry], objectID: UInt16,
                                 definition: ObjectDefinition?) throws(ContentError) -> ObjectInstance {
        var inst = ObjectInstance(id: id)
        for e in entries {
            guard e.kind == .resource || e.kind == .multipleResource else {
                throw .malformed("\(e.kind) \(e.id) directly inside instance \(id)")
            }
            guard inst.resources[e.id] == nil else { throw .malformed("resource \(e.id) twice in instance \(id)") }
            inst.resources[e.id] = try resource(e, path: LwM2MPath(objectID, id, e.id), definition: definition)
        }
        return inst
    }

    private static func resource(_ e: Entry, path: LwM2MPath, definition: ObjectDefinition?) throws(ContentError) -> Resource {
        let type = definition?[e.id]?.type ?? .opaque
        if e.kind == .resource {
            return .single(e.id, try decodeValue(e.value, as: type, path: path))
        }
        var m: [UInt16: ResourceValue] = [:]
        for c in e.children {
            guard m[c.id] == nil else { throw .malformed("resource instance \(c.id) twice in \(path)") }
            m[c.id] = try decodeValue(c.value, as: type, path: path.appending(c.id) ?? path)
        }
        return .multiple(e.id, m)
    }

    // MARK: values

    /// A value's bytes: integers (and time) in the shortest of 1/2/4/8 bytes, floats in 4 bytes
    /// when exact else 8, booleans in 1, objlnk in 4, strings as UTF-8, opaque as is.
    public static func encodeValue(_ v: ResourceValue) -> [UInt8] {
        switch v {
        case .string(let s), .corelnk(let s): return Array(s.utf8)
        case .opaque(let b): return b
        case .boolean(let b): return [b ? 1 : 0]
        case .integer(let i), .time(let i):
            let width: Int
            if Int64(Int8.min)...Int64(Int8.max) ~= i { width = 1 }
            else if Int64(Int16.min)...Int64(Int16.max) ~= i { width = 2 }
            else if Int64(Int32.min)...Int64(Int32.max) ~= i { width = 4 }
            else { width = 8 }
            return bigEndian(UInt64(bitPattern: i), width: width)
        case .unsignedInteger(let u):
            let width = u <= 0xFF ? 1 : u <= 0xFFFF ? 2 : u <= 0xFFFF_FFFF ? 4 : 8
            return bigEndian(u, width: width)
        case .float(let d):
            let f = Float(d)
            if Double(f) == d || d.isNaN { return bigEndian(UInt64(f.bitPattern), width: 4) }
            return bigEndian(d.bitPattern, width: 8)
        case .objlnk(let l):
            return [UInt8(l.objectID >> 8), UInt8(l.objectID & 0xFF), UInt8(l.instanceID >> 8), UInt8(l.instanceID & 0xFF)]
        }
    }

    /// Reads a value of `type`. Integers accept 1–8 bytes (sign-extended), floats 4 or 8,
    /// booleans one byte 0 or 1, objlnk exactly 4; `.none` (an executable) reads as opaque.
    public static func decodeValue(_ b: [UInt8], as type: ResourceType, path: LwM2MPath) throws(ContentError) -> ResourceValue {
        switch type {
        case .opaque, .none: return .opaque(b)
        case .string, .corelnk:
            guard let s = String(validating: b, as: UTF8.self) else { throw .typeMismatch(path: path, expected: type) }
            return type == .string ? .string(s) : .corelnk(s)
        case .integer, .time:
            guard (1...8).contains(b.count) else { throw .typeMismatch(path: path, expected: type) }
            var u: UInt64 = b[0] & 0x80 != 0 ? UInt64.max : 0
            for x in b { u = u << 8 | UInt64(x) }
            let i = Int64(bitPattern: u)
            return type == .integer ? .integer(i) : .time(i)
        case .unsignedInteger:
            guard (1...8).contains(b.count) else { throw .typeMismatch(path: path, expected: type) }
            return .unsignedInteger(b.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        case .float:
            let u = b.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            switch b.count {
            case 4: return .float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: u))))
            case 8: return .float(Double(bitPattern: u))
            default: throw .typeMismatch(path: path, expected: type)
            }
        case .boolean:
            guard b.count == 1, b[0] <= 1 else { throw .typeMismatch(path: path, expected: type) }
            return .boolean(b[0] == 1)
        case .objlnk:
            guard b.count == 4 else { throw .typeMismatch(path: path, expected: type) }
            return .objlnk(ObjectLink(objectID: UInt16(b[0]) << 8 | UInt16(b[1]),
                                      instanceID: UInt16(b[2]) << 8 | UInt16(b[3])))
        }
    }

    private static func bigEndian(_ v: UInt64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
    }
}
