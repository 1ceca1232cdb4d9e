import CoAP

extension ObjectTree {
    /// The data-model operations of the Device Management interface (LwM2M 1.0 §5.4).
    public enum Operation: Hashable, Sendable {
        case read, discover, write, writeAttributes, execute, create, delete

        /// The CoAP code a client answers with when the operation succeeds.
        public var successCode: Code {
            switch self {
            case .read, .discover: .content
            case .write, .writeAttributes, .execute: .changed
            case .create: .created
            case .delete: .deleted
            }
        }
    }

    /// Who asks: a Bootstrap-Server may write anything and reach the Security object; a
    /// Device Management server is held to each resource's operations and never sees object 0.
    public enum Access: Hashable, Sendable { case server, bootstrap }

    // MARK: Read

    /// The node at `path`, with only readable resources. 4.04 when absent, 4.05 when the
    /// resource is not readable (or is the Security object for a server).
    public func read(_ path: LwM2MPath, access: Access = .server) throws(OperationError) -> LwM2MNode {
        guard let oid = path.objectID else { throw .methodNotAllowed(path) }
        guard let def = definitions[oid], let insts = objects[oid] else { throw .notFound(path) }
        if access == .server && oid == 0 { throw .unauthorized }
        func readable(_ inst: ObjectInstance) -> ObjectInstance {
            var copy = inst
            if access == .server { copy.resources = inst.resources.filter { def[$0.key]?.isReadable ?? true } }
            return copy
        }
        guard let iid = path.instanceID else {
            return .object(id: oid, instances: insts.keys.sorted().compactMap { insts[$0].map(readable) })
        }
        guard let inst = insts[iid] else { throw .notFound(path) }
        guard let rid = path.resourceID else { return .instance(readable(inst)) }
        if access == .server, let rdef = def[rid], !rdef.isReadable { throw .methodNotAllowed(path) }
        guard let res = inst.resources[rid] else { throw .notFound(path) }
        guard let riid = path.resourceInstanceID else { return .resource(res) }
        guard case .multiple(let m) = res.value, let v = m[riid] else { throw .notFound(path) }
        return .resourceInstance(id: riid, value: v)
    }

    /// Reads and encodes: in `accept` when given (4.06 when that format cannot carry the node,
    /// 4.15 is not used for Accept), else in `ContentCodec.defaultFormat(for:)`.
    public func read(_ path: LwM2MPath, accept: ContentFormat?, access: Access = .server) throws(OperationError) -> EncodedContent {
        let node = try read(path, access: access)
        let format = accept ?? ContentCodec.defaultFormat(for: node)
        do {
            let bytes = try ContentCodec.encode(node, at: path, as: format, definition: path.objectID.flatMap { definitions[$0] })
            return EncodedContent(format: format, bytes: bytes)
        } catch {
            throw .notAcceptable(format)
        }
    }

    // MARK: Write

    /// Decodes `content` against the target's definition and writes it.
    public mutating func write(_ path: LwM2MPath, _ content: EncodedContent, mode: WriteMode,
                               access: Access = .server) throws(OperationError) {
        guard content.format.isSupported, content.format != .linkFormat else {
            throw .unsupportedContentFormat(content.format)
        }
        guard let oid = path.objectID, let def = definitions[oid] else { throw .notFound(path) }
        let node: LwM2MNode
        do {
            node = try ContentCodec.decode(content.bytes, format: content.format, at: path, definition: def)
        } catch {
            throw OperationError(error)
        }
        try write(path, node, mode: mode, access: access)
    }

    /// Writes a decoded node (LwM2M 1.0 §5.4.3). `.replace` on an instance removes the optional
    /// writable resources the node leaves out; on a multiple resource it replaces all its
    /// instances. `.partialUpdate` only adds and overwrites. All or nothing: on any error the tree
    /// is unchanged. A server may not write a resource without W (4.05) nor an undefined one
    /// (4.04); a bootstrap write may do both and creates a missing instance.
    public mutating func write(_ path: LwM2MPath, _ node: LwM2MNode, mode: WriteMode,
                               access: Access = .server) throws(OperationError) {
        guard let oid = path.objectID, path.level >= .instance || access == .bootstrap else {
            throw .methodNotAllowed(path)
        }
        guard let def = definitions[oid] else { throw .notFound(path) }
        if access == .server && oid == 0 { throw .unauthorized }
        var next = self
        func apply(_ r: Resource, to inst: inout ObjectInstance, mode: WriteMode) throws(OperationError) {
            let rpath = LwM2MPath(oid, inst.id, r.id)
            let rdef = def[r.id]
            if access == .server {
                guard let rdef else { throw .notFound(rpath) }
                guard rdef.isWritable else { throw .methodNotAllowed(rpath) }
            }
            var value = r.value
            switch value {
            case .single(let v):
                if rdef?.multiple == true { throw .badRequest("\(rpath) is a multiple resource") }
                value = .single(try Self.coerce(v, to: rdef?.type, path: rpath))
            case .multiple(let m):
                if rdef?.multiple == false { throw .badRequest("\(rpath) is a single resource") }
                var out: [UInt16: ResourceValue] = [:]
                if mode == .partialUpdate, case .multiple(let old)? = inst.resources[r.id]?.value { out = old }
                for (k, v) in m { out[k] = try Self.coerce(v, to: rdef?.type, path: rpath.appending(k) ?? rpath) }
                value = .multiple(out)
            }
            inst.resources[r.id] = Resource(id: r.id, value: value)
        }
        func writeInstance(_ given: ObjectInstance) throws(OperationError) {
            var inst: ObjectInstance
            if let existing = next.objects[oid]?[given.id] {
                inst = existing
            } else if access == .bootstrap {
                inst = ObjectInstance(id: given.id)
            } else {
                throw .notFound(LwM2MPath(oid, given.id))
            }
            if mode == .replace {
                for rdef in def.resources.values where rdef.isWritable && !rdef.mandatory && given.resources[rdef.id] == nil {
                    inst.resources[rdef.id] = nil
                }
            }
            for r in given.sortedResources { try apply(r, to: &inst, mode: mode) }
            next.objects[oid, default: [:]][given.id] = inst
        }

        switch (path.level, node) {
        case (.object, .object(let id, let insts)) where id == oid:
            for inst in insts { try writeInstance(inst) }
        case (.instance, .instance(let inst)) where inst.id == path.instanceID:
            try writeInstance(inst)
        case (.resource, .resource(let r)) where r.id == path.resourceID:
            guard let iid = path.instanceID, var inst = next.objects[oid]?[iid] else { throw .notFound(path.parent) }
            try apply(r, to: &inst, mode: mode)
            next.objects[oid]?[iid] = inst
        case (.resourceInstance, .resourceInstance(let riid, let v)) where riid == path.resourceInstanceID:
            guard let iid = path.instanceID, let rid = path.resourceID, var inst = next.objects[oid]?[iid] else {
                throw .notFound(path.parent.parent)
            }
            guard def[rid]?.multiple ?? true else { throw .badRequest("\(path.parent) is a single resource") }
            try apply(.multiple(rid, [riid: v]), to: &inst, mode: .partialUpdate)
            next.objects[oid]?[iid] = inst
        default:
            throw .badRequest("payload does not match \(path)")
        }
        self = next
    }

    // MARK: Write-Attributes

    /// Applies a Write-Attributes query to `path` (any level from object down). 4.04 when the
    /// path does not exist.
    public mutating func writeAttributes(_ path: LwM2MPath, query: [String]) throws(OperationError) {
        guard !path.isRoot else { throw .methodNotAllowed(path) }
        try checkExists(path)
        var a = attributes[path] ?? NotificationAttributes()
        try a.apply(query: query)
        attributes[path] = a.isEmpty ? nil : a
    }

    /// Attributes in force at `path`: its own, then its instance's, then its object's.
    public func effectiveAttributes(_ path: LwM2MPath) -> NotificationAttributes {
        var a = NotificationAttributes()
        var p = path
        while !p.isRoot {
            if let own = attributes[p] { a = a.inheriting(from: own) }
            p = p.parent
        }
        return a
    }

    func checkExists(_ path: LwM2MPath) throws(OperationError) {
        guard let oid = path.objectID, definitions[oid] != nil else { throw .notFound(path) }
        guard let iid = path.instanceID else { return }
        guard let inst = objects[oid]?[iid] else { throw .notFound(path) }
        guard let rid = path.resourceID else { return }
        guard let r = inst.resources[rid] else {
            // An executable resource holds no value but exists when defined.
            if definitions[oid]?[rid]?.isExecutable == true, path.resourceInstanceID == nil { return }
            throw .notFound(path)
        }
        if let riid = path.resourceInstanceID {
            guard case .multiple(let m) = r.value, m[riid] != nil else { throw .notFound(path) }
        }
    }

    // MARK: Execute

    /// Checks that `path` names an executable resource of an existing instance: 4.04 or 4.05
    /// otherwise. What the execution does is the caller's business.
    public func checkExecute(_ path: LwM2MPath) throws(OperationError) {
        guard path.level == .resource, let oid = path.objectID, let iid = path.instanceID,
              let rid = path.resourceID else { throw .methodNotAllowed(path) }
        guard let def = definitions[oid], objects[oid]?[iid] != nil else { throw .notFound(path) }
        if oid == 0 { throw .unauthorized }
        guard let rdef = def[rid] else { throw .notFound(path) }
        guard rdef.isExecutable else { throw .methodNotAllowed(path) }
    }
}
