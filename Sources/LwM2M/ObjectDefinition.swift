/// The static description of an LwM2M object: its id, whether it may have several instances,
/// and its resources.
///
/// Custom objects made at runtime (`custom(id:resourceIDs:)`) know only resource ids: each
/// resource is then a single, optional, readable, writable and executable opaque resource, since
/// the module's AT interface leaves values and their types to the host (the TE answers reads).
public struct ObjectDefinition: Hashable, Sendable {
    public var id: UInt16
    public var name: String
    public var multipleInstances: Bool
    public var mandatory: Bool
    /// Object version for the registration link (`</3>;ver=1.1`); nil means the 1.0 default.
    public var version: String?
    /// By resource id.
    public var resources: [UInt16: ResourceDefinition]

    public init(id: UInt16, name: String, multipleInstances: Bool, mandatory: Bool = false,
                version: String? = nil, resources: [ResourceDefinition]) {
        self.id = id
        self.name = name
        self.multipleInstances = multipleInstances
        self.mandatory = mandatory
        self.version = version
        var byID: [UInt16: ResourceDefinition] = [:]
        for r in resources { byID[r.id] = r }
        self.resources = byID
    }

    public subscript(resourceID: UInt16) -> ResourceDefinition? { resources[resourceID] }

    /// Resource definitions in id order.
    public var sortedResources: [ResourceDefinition] { resources.values.sorted { $0.id < $1.id } }

    /// A definition for an object known only by its resource ids (see the type's contract).
    public static func custom(id: UInt16, resourceIDs: [UInt16], name: String? = nil) -> ObjectDefinition {
        ObjectDefinition(
            id: id, name: name ?? "Object \(id)", multipleInstances: true,
            resources: resourceIDs.map {
                ResourceDefinition(id: $0, name: "Resource \($0)", operations: [.read, .write, .execute],
                                   type: .opaque)
            })
    }

    /// True when this definition came from `custom(id:resourceIDs:)`'s rule: every resource
    /// opaque and RWE. Codecs then keep text as text rather than insisting on bytes.
    public var isCustom: Bool {
        !resources.isEmpty && resources.values.allSatisfy {
            $0.type == .opaque && $0.operations == [.read, .write, .execute]
        }
    }
}
