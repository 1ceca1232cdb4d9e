/// application/octet-stream (42): the raw bytes of one opaque resource (LwM2M 1.0 §6.4.2).
public enum OpaqueContent {
    public static func encode(_ node: LwM2MNode) throws(ContentError) -> [UInt8] {
        switch node {
        case .resource(let r):
            guard case .single(let v) = r.value else { throw .notRepresentable("opaque carries one value") }
            return try bytes(of: v)
        case .resourceInstance(_, let v):
            return try bytes(of: v)
        default:
            throw .notRepresentable("opaque carries one resource")
        }
    }

    /// The bytes become an opaque value of the resource (or resource instance) at `path`.
    public static func decode(_ bytes: [UInt8], at path: LwM2MPath) throws(ContentError) -> LwM2MNode {
        switch path.level {
        case .resource:
            guard let id = path.resourceID else { break }
            return .resource(.single(id, .opaque(bytes)))
        case .resourceInstance:
            guard let id = path.resourceInstanceID else { break }
            return .resourceInstance(id: id, value: .opaque(bytes))
        default: break
        }
        throw .notRepresentable("opaque needs a resource path, not \(path)")
    }

    private static func bytes(of v: ResourceValue) throws(ContentError) -> [UInt8] {
        guard case .opaque(let b) = v else { throw .notRepresentable("opaque format for a \(v.type) value") }
        return b
    }
}
