/// One value a client reported with Send (`POST /dp`) or in a notification, with its full path.
public struct ReportedValue: Hashable, Sendable, CustomStringConvertible {
    public var path: LwM2MPath
    public var value: ResourceValue

    public init(path: LwM2MPath, value: ResourceValue) {
        self.path = path
        self.value = value
    }

    public var description: String { "\(path) = \(value)" }

    /// Decodes a Send payload: SenML JSON (110) and LwM2M JSON (11543) name their paths in
    /// full; other formats are read at `base`. Types come from `definitions`.
    public static func decode(_ content: EncodedContent, base: LwM2MPath = .root,
                              definitions: [UInt16: ObjectDefinition] = ObjectDefinition.standard)
        throws(ContentError) -> [ReportedValue] {
        let pairs: [(path: LwM2MPath, value: ResourceValue)]
        switch content.format.canonical {
        case .senmlJSON:
            pairs = try SenMLJSON.decodeValues(content.bytes, definitions: definitions, relativeTo: base)
        case .lwm2mJSON:
            pairs = try LwM2MJSON.decodeValues(content.bytes, definitions: definitions, relativeTo: base)
        default:
            let node = try ContentCodec.decode(content.bytes, format: content.format, at: base,
                                               definition: base.objectID.flatMap { definitions[$0] })
            pairs = node.flattened(at: base)
        }
        return pairs.map { ReportedValue(path: $0.path, value: $0.value) }
    }
}
