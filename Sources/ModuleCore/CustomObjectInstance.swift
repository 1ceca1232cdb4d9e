import LwM2M

/// One instance added with `AT+QLAADDOBJ=<objectID>,<instantID>,<resource_number>,<resourceID>...`.
public struct CustomObjectInstance: Hashable, Sendable, Codable {
    public var objectID: UInt16
    public var instanceID: UInt16
    /// In the order given.
    public var resourceIDs: [UInt16]

    public init(objectID: UInt16, instanceID: UInt16, resourceIDs: [UInt16]) {
        self.objectID = objectID
        self.instanceID = instanceID
        self.resourceIDs = resourceIDs
    }
}

/// The module's limits on custom objects (2.6, 备注 1 and 2).
public enum CustomObjectLimits {
    public static let objects = 3
    public static let instancesPerObject = 4
    public static let resourcesPerInstance = 14
    /// Objects the module always has; they can be neither added nor deleted.
    public static let builtInObjects: Set<UInt16> = [0, 1, 3, 4, 5]
}
