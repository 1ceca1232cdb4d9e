/// A resource with its value: one value (Single) or a set of resource instances (Multiple).
public struct Resource: Hashable, Sendable {
    public enum Value: Hashable, Sendable {
        case single(ResourceValue)
        /// Resource instances by id; may be empty.
        case multiple([UInt16: ResourceValue])
    }

    public var id: UInt16
    public var value: Value

    public init(id: UInt16, value: Value) {
        self.id = id
        self.value = value
    }

    public static func single(_ id: UInt16, _ v: ResourceValue) -> Resource { Resource(id: id, value: .single(v)) }
    public static func multiple(_ id: UInt16, _ instances: [UInt16: ResourceValue]) -> Resource {
        Resource(id: id, value: .multiple(instances))
    }

    public var isMultiple: Bool { if case .multiple = value { true } else { false } }

    /// The single value, nil for a multiple resource.
    public var singleValue: ResourceValue? { if case .single(let v) = value { v } else { nil } }

    /// Resource instances in id order (empty for a single resource).
    public var sortedInstances: [(id: UInt16, value: ResourceValue)] {
        guard case .multiple(let m) = value else { return [] }
        return m.keys.sorted().compactMap { k in m[k].map { (k, $0) } }
    }
}
