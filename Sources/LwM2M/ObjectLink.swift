/// An Objlnk value: a reference to an object instance, `objectID:instanceID`
/// (LwM2M 1.0 Appendix C). `65535:65535` is the null link.
public struct ObjectLink: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    public var objectID: UInt16
    public var instanceID: UInt16

    public init(objectID: UInt16, instanceID: UInt16) {
        self.objectID = objectID
        self.instanceID = instanceID
    }

    public static let null = ObjectLink(objectID: 65535, instanceID: 65535)

    /// Parses `3:0`; nil on anything else.
    public init?(_ description: String) {
        let parts = description.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let o = UInt16(parts[0]), let i = UInt16(parts[1]) else { return nil }
        self.init(objectID: o, instanceID: i)
    }

    public var description: String { "\(objectID):\(instanceID)" }
}
