extension LwM2MNode {
    /// Assembles the node at `path` from (full path, value) pairs, as the flat formats (SenML,
    /// LwM2M JSON) deliver them. Every pair must lie at or below `path` and at resource level or
    /// deeper. A resource is multiple when its values carry resource-instance ids, or when the
    /// definition says so (then an empty list of values gives an empty multiple resource).
    public static func build(from values: [(path: LwM2MPath, value: ResourceValue)], at path: LwM2MPath,
                             definition: ObjectDefinition?) throws(ContentError) -> LwM2MNode {
        guard let oid = path.objectID else { throw .notRepresentable("values at the root") }
        var instances: [UInt16: ObjectInstance] = [:]
        for (p, v) in values {
            guard path.isPrefix(of: p) else { throw .malformed("\(p) is outside the target \(path)") }
            guard p.level >= .resource, let iid = p.instanceID, let rid = p.resourceID else {
                throw .malformed("\(p) names no resource")
            }
            var inst = instances[iid] ?? ObjectInstance(id: iid)
            if let riid = p.resourceInstanceID {
                var m: [UInt16: ResourceValue] = [:]
                switch inst.resources[rid]?.value {
                case .multiple(let old)?: m = old
                case .single?: throw .malformed("\(p.parent) given as single and multiple")
                case nil: break
                }
                guard m[riid] == nil else { throw .malformed("\(p) given twice") }
                m[riid] = v
                inst.resources[rid] = .multiple(rid, m)
            } else {
                guard inst.resources[rid] == nil else { throw .malformed("\(p) given twice") }
                inst.resources[rid] = .single(rid, v)
            }
            instances[iid] = inst
        }
        switch path.level {
        case .object:
            return .object(id: oid, instances: instances.keys.sorted().compactMap { instances[$0] })
        case .instance:
            guard let iid = path.instanceID else { break }
            return .instance(instances[iid] ?? ObjectInstance(id: iid))
        case .resource:
            guard let iid = path.instanceID, let rid = path.resourceID else { break }
            if let r = instances[iid]?.resources[rid] { return .resource(r) }
            if definition?[rid]?.multiple == true { return .resource(.multiple(rid, [:])) }
            throw .malformed("no value for \(path)")
        case .resourceInstance:
            guard let iid = path.instanceID, let rid = path.resourceID, let riid = path.resourceInstanceID,
                  case .multiple(let m)? = instances[iid]?.resources[rid]?.value, let v = m[riid], m.count == 1 else {
                throw .malformed("expected exactly one value for \(path)")
            }
            return .resourceInstance(id: riid, value: v)
        case .root: break
        }
        throw .notRepresentable("values at \(path)")
    }

    /// Resolves a record name against a base: absolute names (`/3/0/1`) stand alone, relative
    /// ones (`1`, `6/0`) hang below `base`. Nil when the result is not a path.
    static func resolve(_ name: String, base: String) -> LwM2MPath? {
        let full = base + name
        if full.isEmpty { return nil }
        return LwM2MPath(full)
    }
}
