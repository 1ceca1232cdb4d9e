/// Encodes and decodes `LwM2MNode`s in any supported content format: the one entry point the
/// protocol layer needs. `path` is the request's target; `definition` the target object's
/// definition (decoders need it to know resource types; resources it does not define decode as
/// opaque where the format does not carry a type).
public enum ContentCodec {
    public static func encode(_ node: LwM2MNode, at path: LwM2MPath, as format: ContentFormat,
                              definition: ObjectDefinition? = nil) throws(ContentError) -> [UInt8] {
        switch format.canonical {
        case .tlv: return TLV.encode(node)
        case .textPlain: return try PlainText.encode(node)
        case .opaque: return try OpaqueContent.encode(node)
        case .senmlJSON: return SenMLJSON.encode(node, at: path)
        case .lwm2mJSON: return LwM2MJSON.encode(node, at: path)
        default: throw .unsupportedFormat(format)
        }
    }

    public static func decode(_ bytes: [UInt8], format: ContentFormat, at path: LwM2MPath,
                              definition: ObjectDefinition? = nil) throws(ContentError) -> LwM2MNode {
        switch format.canonical {
        case .tlv: return try TLV.decode(bytes, at: path, definition: definition)
        case .textPlain: return try PlainText.decode(bytes, at: path, definition: definition)
        case .opaque: return try OpaqueContent.decode(bytes, at: path)
        case .senmlJSON: return try SenMLJSON.decode(bytes, at: path, definition: definition)
        case .lwm2mJSON: return try LwM2MJSON.decode(bytes, at: path, definition: definition)
        default: throw .unsupportedFormat(format)
        }
    }

    /// The format a client answers a read with when the server sent no Accept: text/plain for a
    /// single non-opaque resource, opaque for an opaque one, TLV otherwise.
    public static func defaultFormat(for node: LwM2MNode) -> ContentFormat {
        switch node {
        case .resource(let r):
            switch r.value {
            case .single(.opaque): .opaque
            case .single: .textPlain
            case .multiple: .tlv
            }
        case .resourceInstance(_, .opaque): .opaque
        case .resourceInstance: .textPlain
        default: .tlv
        }
    }
}
