/// The data type of a resource (LwM2M 1.0 Appendix C; 1.1 adds unsigned integer and corelnk).
/// `none` is the type of executable resources, which hold no value.
public enum ResourceType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case string
    case integer
    case unsignedInteger
    case float
    case boolean
    case opaque
    case time
    case objlnk
    case corelnk
    case none

    public var description: String { rawValue }
}
