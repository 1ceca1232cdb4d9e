/// What a read returns and a write carries: the part of the data model at one path, before it is
/// encoded in a content format. Which case fits depends on the path's level:
/// `/3` → `.object`, `/3/0` → `.instance`, `/3/0/1` → `.resource`, `/3/0/6/1` → `.resourceInstance`.
public enum LwM2MNode: Hashable, Sendable {
    case object(id: UInt16, instances: [ObjectInstance])
    case instance(ObjectInstance)
    case resource(Resource)
    case resourceInstance(id: UInt16, value: ResourceValue)

    /// Every value in the node as (full path, value), in path order. `path` is where the node
    /// sits; for `.object` and `.instance` only its object id (and instance id) are used.
    public func flattened(at path: LwM2MPath) -> [(path: LwM2MPath, value: ResourceValue)] {
        var out: [(LwM2MPath, ResourceValue)] = []
        func addResource(_ base: [UInt16], _ r: Resource) {
            switch r.value {
            case .single(let v):
                if let p = LwM2MPath(ids: base + [r.id]) { out.append((p, v)) }
            case .multiple:
                for (i, v) in r.sortedInstances {
                    if let p = LwM2MPath(ids: base + [r.id, i]) { out.append((p, v)) }
                }
            }
        }
        let ids = path.ids
        switch self {
        case .object(let oid, let insts):
            for inst in insts.sorted(by: { $0.id < $1.id }) {
                for r in inst.sortedResources { addResource([oid, inst.id], r) }
            }
        case .instance(let inst):
            guard let oid = path.objectID else { break }
            for r in inst.sortedResources { addResource([oid, inst.id], r) }
        case .resource(let r):
            addResource(Array(ids.prefix(2)), r)
        case .resourceInstance(let id, let v):
            if let p = LwM2MPath(ids: Array(ids.prefix(3)) + [id]) { out.append((p, v)) }
        }
        return out
    }
}
