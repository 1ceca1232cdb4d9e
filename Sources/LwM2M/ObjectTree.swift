/// The client's data model: object definitions, their instances and values, and the
/// Write-Attributes set on paths. A value type; the LwM2M operations a server asks for are in
/// `ObjectTree+Operations.swift` and return or throw results that map to CoAP codes
/// (see `OperationError.code` and `ObjectTree.Operation.successCode`).
///
/// The methods here are the device's own access (an AT command setting a value, the firmware
/// changing its state): they skip the server's access rights but still need a defined object.
public struct ObjectTree: Hashable, Sendable {
    public internal(set) var definitions: [UInt16: ObjectDefinition]
    /// Object id → instance id → instance.
    public internal(set) var objects: [UInt16: [UInt16: ObjectInstance]]
    /// Notification attributes by the path they were written on.
    public var attributes: [LwM2MPath: NotificationAttributes]

    public init(definitions: [ObjectDefinition] = []) {
        self.definitions = [:]
        self.objects = [:]
        self.attributes = [:]
        for d in definitions { define(d) }
    }

    /// Adds or replaces an object definition; existing instances stay.
    public mutating func define(_ definition: ObjectDefinition) {
        definitions[definition.id] = definition
        if objects[definition.id] == nil { objects[definition.id] = [:] }
    }

    /// Forgets an object, its instances and attributes.
    public mutating func removeObject(_ objectID: UInt16) {
        definitions[objectID] = nil
        objects[objectID] = nil
        attributes = attributes.filter { $0.key.objectID != objectID }
    }

    public func definition(_ objectID: UInt16) -> ObjectDefinition? { definitions[objectID] }

    /// Defined object ids in order.
    public var objectIDs: [UInt16] { definitions.keys.sorted() }

    public func instanceIDs(of objectID: UInt16) -> [UInt16] { (objects[objectID] ?? [:]).keys.sorted() }

    public func instance(_ objectID: UInt16, _ instanceID: UInt16) -> ObjectInstance? {
        objects[objectID]?[instanceID]
    }

    /// Adds (or replaces) an instance of a defined object.
    public mutating func setInstance(_ instance: ObjectInstance, of objectID: UInt16) throws(OperationError) {
        guard definitions[objectID] != nil else { throw .notFound(LwM2MPath(objectID)) }
        objects[objectID, default: [:]][instance.id] = instance
    }

    @discardableResult
    public mutating func removeInstance(_ objectID: UInt16, _ instanceID: UInt16) -> ObjectInstance? {
        attributes = attributes.filter { !LwM2MPath(objectID, instanceID).isPrefix(of: $0.key) }
        return objects[objectID]?.removeValue(forKey: instanceID)
    }

    /// The resource at a resource path.
    public func resource(at path: LwM2MPath) -> Resource? {
        guard path.level >= .resource, let o = path.objectID, let i = path.instanceID, let r = path.resourceID else {
            return nil
        }
        return objects[o]?[i]?.resources[r]
    }

    /// A single resource's value (`/3/0/0`) or a resource instance's (`/3/0/6/1`).
    public func value(at path: LwM2MPath) -> ResourceValue? {
        guard let r = resource(at: path) else { return nil }
        switch (r.value, path.resourceInstanceID) {
        case (.single(let v), nil): return v
        case (.multiple(let m), let ri?): return m[ri]
        default: return nil
        }
    }

    /// Sets a value at a resource or resource-instance path, creating the resource (but not the
    /// instance) when missing. The value is converted to the resource's defined type when it
    /// can be (an integer for a time, ...); otherwise 4.00.
    public mutating func setValue(_ value: ResourceValue, at path: LwM2MPath) throws(OperationError) {
        guard path.level >= .resource, let o = path.objectID, let i = path.instanceID, let r = path.resourceID else {
            throw .badRequest("\(path) is not a resource path")
        }
        guard let def = definitions[o] else { throw .notFound(LwM2MPath(o)) }
        guard var inst = objects[o]?[i] else { throw .notFound(LwM2MPath(o, i)) }
        let v = try Self.coerce(value, to: def[r]?.type, path: path)
        if let ri = path.resourceInstanceID {
            var m: [UInt16: ResourceValue] = [:]
            if case .multiple(let old)? = inst.resources[r]?.value { m = old }
            m[ri] = v
            inst.resources[r] = .multiple(r, m)
        } else {
            inst.resources[r] = .single(r, v)
        }
        objects[o]?[i] = inst
    }

    /// Sets a whole resource (single or multiple) in an existing instance, no type checks.
    public mutating func setResource(_ resource: Resource, objectID: UInt16, instanceID: UInt16) throws(OperationError) {
        guard objects[objectID]?[instanceID] != nil else { throw .notFound(LwM2MPath(objectID, instanceID)) }
        objects[objectID]?[instanceID]?.resources[resource.id] = resource
    }

    /// Removes a resource (or one resource instance) if present.
    public mutating func removeValue(at path: LwM2MPath) {
        guard let o = path.objectID, let i = path.instanceID, let r = path.resourceID else { return }
        if let ri = path.resourceInstanceID {
            if case .multiple(var m)? = objects[o]?[i]?.resources[r]?.value {
                m[ri] = nil
                objects[o]?[i]?.resources[r] = .multiple(r, m)
            }
        } else {
            objects[o]?[i]?.resources[r] = nil
        }
    }

    /// Converts a value to the defined type when the meaning is kept, else throws 4.00.
    static func coerce(_ v: ResourceValue, to type: ResourceType?, path: LwM2MPath) throws(OperationError) -> ResourceValue {
        guard let type, type != v.type else { return v }
        switch (v, type) {
        case (_, .none): return v
        case (.integer(let i), .time): return .time(i)
        case (.unsignedInteger(let u), .time) where Int64(exactly: u) != nil: return .time(Int64(u))
        case (.time(let i), .integer): return .integer(i)
        case (.unsignedInteger(let u), .integer) where Int64(exactly: u) != nil: return .integer(Int64(u))
        case (.integer(let i), .unsignedInteger) where i >= 0: return .unsignedInteger(UInt64(i))
        case (.integer(let i), .float): return .float(Double(i))
        case (.unsignedInteger(let u), .float): return .float(Double(u))
        case (.string(let s), .corelnk): return .corelnk(s)
        case (.corelnk(let s), .string): return .string(s)
        case (.string(let s), .opaque): return .opaque(Array(s.utf8))
        case (.opaque(let b), .string):
            if let s = String(validating: b, as: UTF8.self) { return .string(s) }
        case (.string(let s), _):
            if let parsed = PlainText.value(s, as: type) { return parsed }
        default: break
        }
        throw .badRequest("value at \(path) is \(v.type), expected \(type)")
    }
}
