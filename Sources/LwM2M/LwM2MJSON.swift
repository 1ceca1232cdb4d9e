/// application/vnd.oma.lwm2m+json (11543, LwM2M 1.0 §6.4.4).
public enum LwM2MJSON {
    public static func encode(_ node: LwM2MNode, at path: LwM2MPath) -> [UInt8] { [] }
    public static func decode(_ bytes: [UInt8], at path: LwM2MPath,
                              definition: ObjectDefinition?) throws(ContentError) -> LwM2MNode {
        throw .unsupportedFormat(.lwm2mJSON)
    }
}
