/// application/senml+json (110, LwM2M 1.1 §7.4.4).
public enum SenMLJSON {
    public static func encode(_ node: LwM2MNode, at path: LwM2MPath) -> [UInt8] { [] }
    public static func decode(_ bytes: [UInt8], at path: LwM2MPath,
                              definition: ObjectDefinition?) throws(ContentError) -> LwM2MNode {
        throw .unsupportedFormat(.senmlJSON)
    }
}
