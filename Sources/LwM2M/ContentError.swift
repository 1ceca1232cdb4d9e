/// Why a payload could not be decoded or a node could not be encoded in a content format.
/// A decoder throws this on any malformed input; it never traps.
public enum ContentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not well-formed in this format (the string says where and why).
    case malformed(String)
    /// Well-formed, but a value does not fit the resource's type.
    case typeMismatch(path: LwM2MPath, expected: ResourceType)
    /// The format cannot carry this node (e.g. text/plain for an object instance).
    case notRepresentable(String)
    /// This module does not implement the format.
    case unsupportedFormat(ContentFormat)

    public var description: String {
        switch self {
        case .malformed(let s): "malformed content: \(s)"
        case .typeMismatch(let p, let t): "value at \(p) is not a valid \(t)"
        case .notRepresentable(let s): "not representable: \(s)"
        case .unsupportedFormat(let f): "unsupported content format \(f.rawValue)"
        }
    }
}
