extension ObjectTree {
    /// Discover (LwM2M 1.0 §5.4.2) as links with attributes. On an object: the object, each
    /// instance, and each resource present or executable; on an instance: the instance and its
    /// resources; on a resource: that resource with the attributes it inherits. Multiple
    /// resources carry `dim` (their instance count). 4.04 when absent.
    public func discover(_ path: LwM2MPath, access: Access = .server) throws(OperationError) -> [Link] {
        guard let oid = path.objectID else { throw .methodNotAllowed(path) }
        if access == .server && oid == 0 { throw .unauthorized }
        try checkExists(path)
        guard let def = definitions[oid] else { throw .notFound(path) }
        func own(_ p: LwM2MPath) -> [Link.Attribute] { attributes[p]?.linkAttributes ?? [] }
        func resourceLinks(_ iid: UInt16, inherited: Bool) -> [Link] {
            let inst = objects[oid]?[iid]
            var ids = Set(inst?.resources.keys.map { $0 } ?? [])
            for r in def.resources.values where r.isExecutable && r.type == .none { ids.insert(r.id) }
            return ids.sorted().compactMap { rid -> Link? in
                if path.resourceID != nil && path.resourceID != rid { return nil }
                let rp = LwM2MPath(oid, iid, rid)
                var attrs: [Link.Attribute] = []
                if case .multiple(let m)? = inst?.resources[rid]?.value { attrs.append(.init("dim", String(m.count))) }
                attrs += inherited ? effectiveAttributes(rp).linkAttributes : own(rp)
                return Link(rp, attributes: attrs)
            }
        }
        switch path.level {
        case .object:
            var links = [Link(path, attributes: own(path) + (def.version.map { [.init("ver", $0)] } ?? []))]
            for iid in instanceIDs(of: oid) {
                let ip = LwM2MPath(oid, iid)
                links.append(Link(ip, attributes: own(ip)))
                links += resourceLinks(iid, inherited: false)
            }
            return links
        case .instance:
            guard let iid = path.instanceID else { return [] }
            return [Link(path, attributes: own(path))] + resourceLinks(iid, inherited: false)
        case .resource:
            guard let iid = path.instanceID else { return [] }
            return resourceLinks(iid, inherited: true)
        default:
            throw .methodNotAllowed(path)
        }
    }

    /// The object links a Register or Update carries (LwM2M 1.0 §5.3.1): every instance as
    /// `</3/0>`, an object without instances as `</19>`, the Security object never; `ver` on
    /// objects whose version is not 1.0. With `rootType`, `</>;rt="oma.lwm2m"` comes first.
    public func registrationLinks(rootType: Bool = false) -> [Link] {
        var links: [Link] = rootType ? [Link("/", attributes: [.quoted("rt", "oma.lwm2m")])] : []
        for oid in objectIDs where oid != 0 {
            let ids = instanceIDs(of: oid)
            let ver: [Link.Attribute] = definitions[oid]?.version.map { [.init("ver", $0)] } ?? []
            if ids.isEmpty {
                links.append(Link(LwM2MPath(oid), attributes: ver))
            } else {
                if !ver.isEmpty { links.append(Link(LwM2MPath(oid), attributes: ver)) }
                for iid in ids { links.append(Link(LwM2MPath(oid, iid))) }
            }
        }
        return links
    }

    /// Whether `other` registers with the same links as this tree (``registrationLinks``),
    /// without building them: the same objects (but /0), versions and instance ids.
    public func hasSameRegistrationLinks(as other: ObjectTree) -> Bool {
        func linked(_ tree: ObjectTree) -> Int { tree.definitions.keys.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }
        guard linked(self) == linked(other) else { return false }
        for (oid, definition) in definitions where oid != 0 {
            guard let theirs = other.definitions[oid], theirs.version == definition.version else { return false }
            let mine = objects[oid] ?? [:], others = other.objects[oid] ?? [:]
            guard mine.count == others.count, mine.keys.allSatisfy({ others[$0] != nil }) else { return false }
        }
        return true
    }

    /// `registrationLinks` as the link-format payload.
    public func registrationPayload(rootType: Bool = false) -> [UInt8] {
        LinkFormat.encodeBytes(registrationLinks(rootType: rootType))
    }
}
