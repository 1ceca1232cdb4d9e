import ATProtocol
import LwM2M

/// Between the TE's typed values (`<value_type>,<len>,<value>` parts) and the payloads the
/// session carries: a read, observe or notify answer is encoded at the path the server named
/// (one resource: text/plain or opaque as its type says; an instance or object: TLV holding
/// every part; the server's Accept wins when it can be honoured); a write's payload is decoded
/// into parts (opaque and TLV-carried values as opaque, text/plain as a string).
enum ValueContent {
    /// The payload for `parts` answering a request at `path`; nil when there are no parts.
    static func encode(_ parts: [ValuePart], at path: LwM2MPath, accept: ContentFormat?) -> EncodedContent? {
        guard !parts.isEmpty, let node = node(parts, at: path) else { return nil }
        if let accept, let bytes = try? ContentCodec.encode(node, at: path, as: accept) {
            return EncodedContent(format: accept, bytes: bytes)
        }
        let format = ContentCodec.defaultFormat(for: node)
        if let bytes = try? ContentCodec.encode(node, at: path, as: format) {
            return EncodedContent(format: format, bytes: bytes)
        }
        return EncodedContent(format: .tlv, bytes: TLV.encode(node))
    }

    /// The parts as a node at `path`. Several parts on one resource make a multiple resource
    /// (instances 0, 1, ... in the order given).
    static func node(_ parts: [ValuePart], at path: LwM2MPath) -> LwM2MNode? {
        var byInstance: [UInt16: [UInt16: [ResourceValue]]] = [:]
        for part in parts {
            guard let i = part.path.instanceID, let r = part.path.resourceID else { continue }
            byInstance[i, default: [:]][r, default: []].append(resourceValue(part.value))
        }
        func resource(_ id: UInt16, _ values: [ResourceValue]) -> Resource {
            values.count == 1 ? .single(id, values[0])
                : .multiple(id, Dictionary(uniqueKeysWithValues: values.enumerated().map { (UInt16($0.offset), $0.element) }))
        }
        func instance(_ id: UInt16) -> ObjectInstance {
            ObjectInstance(id: id, resources: (byInstance[id] ?? [:]).map { resource($0.key, $0.value) })
        }
        switch path.level {
        case .resource, .resourceInstance:
            guard let i = path.instanceID, let r = path.resourceID, let values = byInstance[i]?[r] else { return nil }
            return .resource(resource(r, values))
        case .instance:
            guard let i = path.instanceID else { return nil }
            return .instance(instance(i))
        case .object:
            guard let o = path.objectID else { return nil }
            return .object(id: o, instances: byInstance.keys.sorted().map(instance))
        case .root:
            return nil
        }
    }

    static func resourceValue(_ value: ATTypedValue) -> ResourceValue {
        switch value {
        case .string(let text): .string(text)
        case .opaque(let bytes): .opaque(bytes)
        case .integer(let i, _): .integer(i)
        case .float(let d, _): .float(d)
        case .boolean(let b): .boolean(b)
        }
    }

    /// A write's payload as the `write` URC's parts; nil when it does not decode.
    static func parts(of content: EncodedContent, at path: LwM2MPath) -> [ValuePart]? {
        // Text names no type: it is printed as the text it is (type 1), as the Andlink example shows.
        if content.format.canonical == .textPlain, path.resourceID != nil,
           let text = String(validating: content.bytes, as: UTF8.self),
           let resourcePath = LwM2MPath(ids: Array(path.ids.prefix(3))) {
            return [ValuePart(path: resourcePath, value: .string(text))]
        }
        guard let node = try? ContentCodec.decode(content.bytes, format: content.format, at: path) else { return nil }
        let parts = node.flattened(at: path).compactMap { entry -> ValuePart? in
            // The URC names a resource: a resource instance is printed at its resource.
            guard let resourcePath = LwM2MPath(ids: Array(entry.path.ids.prefix(3))) else { return nil }
            return ValuePart(path: resourcePath, value: typedValue(entry.value))
        }
        return parts.isEmpty ? nil : parts
    }

    static func typedValue(_ value: ResourceValue) -> ATTypedValue {
        switch value {
        case .string(let s), .corelnk(let s): .string(s)
        case .opaque(let b): .opaque(b)
        case .integer(let i), .time(let i): .integer(i, width: 8)
        case .unsignedInteger(let u): u <= UInt64(Int64.max) ? .integer(Int64(u), width: 8) : .opaque(TLV.encodeValue(value))
        case .float(let d): .float(d, width: 8)
        case .boolean(let b): .boolean(b)
        case .objlnk: .opaque(TLV.encodeValue(value))
        }
    }
}
