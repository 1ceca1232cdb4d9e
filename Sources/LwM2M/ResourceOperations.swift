/// What a server may do with a resource: Read, Write, Execute (LwM2M 1.0 §5.4 and Appendix D).
public struct ResourceOperations: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let read = ResourceOperations(rawValue: 1)
    public static let write = ResourceOperations(rawValue: 2)
    public static let execute = ResourceOperations(rawValue: 4)

    public static let none: ResourceOperations = []
    public static let readWrite: ResourceOperations = [.read, .write]

    /// "R", "W", "RW", "E" as the spec's object tables write them; "" for none.
    public var description: String {
        (contains(.read) ? "R" : "") + (contains(.write) ? "W" : "") + (contains(.execute) ? "E" : "")
    }
}
