/// One object instance with its resources by id.
public struct ObjectInstance: Hashable, Sendable {
    public var id: UInt16
    public var resources: [UInt16: Resource]

    public init(id: UInt16, resources: [Resource] = []) {
        self.id = id
        var byID: [UInt16: Resource] = [:]
        for r in resources { byID[r.id] = r }
        self.resources = byID
    }

    public subscript(resourceID: UInt16) -> Resource? {
        get { resources[resourceID] }
        set { resources[resourceID] = newValue }
    }

    /// Resources in id order.
    public var sortedResources: [Resource] { resources.values.sorted { $0.id < $1.id } }
}
