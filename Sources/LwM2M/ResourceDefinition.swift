/// The static description of one resource in an object (a row of an object's resource table).
public struct ResourceDefinition: Hashable, Sendable {
    public var id: UInt16
    public var name: String
    public var operations: ResourceOperations
    /// True for a Multiple resource (it holds resource instances), false for Single.
    public var multiple: Bool
    public var mandatory: Bool
    /// `.none` for executable resources.
    public var type: ResourceType

    public init(id: UInt16, name: String, operations: ResourceOperations, multiple: Bool = false,
                mandatory: Bool = false, type: ResourceType) {
        self.id = id
        self.name = name
        self.operations = operations
        self.multiple = multiple
        self.mandatory = mandatory
        self.type = type
    }

    public var isReadable: Bool { operations.contains(.read) }
    public var isWritable: Bool { operations.contains(.write) }
    public var isExecutable: Bool { operations.contains(.execute) }
}
