extension ObjectTree {
    // MARK: Create

    /// Creates an instance of `objectID` from a Create payload (LwM2M 1.0 §5.4.5). The payload
    /// either names the new instance (a TLV object instance, or JSON names with an instance id)
    /// or gives bare resources, when the lowest free id is taken. Returns the new instance's path
    /// for the 2.01 Location. 4.00 when it exists, when a single-instance object already has
    /// one, or when a mandatory writable resource is missing; 4.05 on non-writable resources.
    public mutating func create(in objectID: UInt16, _ content: EncodedContent?,
                                access: Access = .server) throws(OperationError) -> LwM2MPath {
        guard let def = definitions[objectID] else { throw .notFound(LwM2MPath(objectID)) }
        guard let content, !content.bytes.isEmpty else {
            return try create(in: objectID, ObjectInstance(id: lowestFreeID(objectID)), access: access)
        }
        guard content.format.isSupported, content.format != .linkFormat else {
            throw .unsupportedContentFormat(content.format)
        }
        if let node = try? ContentCodec.decode(content.bytes, format: content.format, at: LwM2MPath(objectID),
                                               definition: def),
           case .object(_, let insts) = node {
            guard insts.count == 1, let inst = insts.first else { throw .badRequest("create carries one instance") }
            return try create(in: objectID, inst, access: access)
        }
        let newID = lowestFreeID(objectID)
        do {
            let node = try ContentCodec.decode(content.bytes, format: content.format,
                                               at: LwM2MPath(objectID, newID), definition: def)
            guard case .instance(let inst) = node else { throw OperationError.badRequest("create needs resources") }
            return try create(in: objectID, inst, access: access)
        } catch let e as OperationError {
            throw e
        } catch let e as ContentError {
            throw OperationError(e)
        } catch {
            throw .internalError("\(error)")
        }
    }

    /// Creates an instance from a decoded value; see `create(in:_:access:)`.
    public mutating func create(in objectID: UInt16, _ instance: ObjectInstance,
                                access: Access = .server) throws(OperationError) -> LwM2MPath {
        guard let def = definitions[objectID] else { throw .notFound(LwM2MPath(objectID)) }
        let path = LwM2MPath(objectID, instance.id)
        if access == .server && objectID == 0 { throw .unauthorized }
        guard instance.id <= LwM2MPath.maxID else { throw .badRequest("instance id 65535 is reserved") }
        guard objects[objectID]?[instance.id] == nil else { throw .badRequest("\(path) exists") }
        if !def.multipleInstances && !(objects[objectID] ?? [:]).isEmpty {
            throw .badRequest("object \(objectID) is single-instance and has an instance")
        }
        if access == .server {
            for rdef in def.resources.values where rdef.mandatory && rdef.isWritable && instance.resources[rdef.id] == nil {
                throw .badRequest("mandatory resource \(rdef.id) missing")
            }
        }
        var next = self
        next.objects[objectID, default: [:]][instance.id] = ObjectInstance(id: instance.id)
        try next.write(path, .instance(instance), mode: .partialUpdate, access: access)
        self = next
        return path
    }

    /// The smallest instance id not in use (65535 never: it is reserved, and the object is
    /// then full, which `create` reports as 4.00 through the reserved id).
    public func lowestFreeID(_ objectID: UInt16) -> UInt16 {
        let used = objects[objectID] ?? [:]
        var id: UInt16 = 0
        while used[id] != nil && id < UInt16.max { id += 1 }
        return id
    }

    // MARK: Delete

    /// Deletes an object instance (LwM2M 1.0 §5.4.6). 4.05 on anything but an instance path, on
    /// the Security object and on a mandatory single-instance object (Device); 4.04 when absent.
    /// A bootstrap delete may also take `/` or an object path: every instance except the
    /// bootstrap-server account (Security with resource 1 true) and the Device object goes.
    public mutating func delete(_ path: LwM2MPath, access: Access = .server) throws(OperationError) {
        if access == .bootstrap && path.level <= .object {
            for oid in objectIDs where path.objectID == nil || path.objectID == oid {
                guard oid != 3 else { continue }
                for iid in instanceIDs(of: oid) {
                    if oid == 0, value(at: LwM2MPath(0, iid, 1)) == .boolean(true) { continue }
                    removeInstance(oid, iid)
                }
            }
            return
        }
        guard path.level == .instance, let oid = path.objectID, let iid = path.instanceID else {
            throw .methodNotAllowed(path)
        }
        guard let def = definitions[oid] else { throw .notFound(path) }
        if access == .server && oid == 0 { throw .unauthorized }
        if def.mandatory && !def.multipleInstances { throw .methodNotAllowed(path) }
        guard objects[oid]?[iid] != nil else { throw .notFound(path) }
        removeInstance(oid, iid)
    }
}
