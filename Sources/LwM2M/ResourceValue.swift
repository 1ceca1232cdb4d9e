/// A typed resource value. `time` is seconds since the Unix epoch, as the spec's Time type.
/// `corelnk` holds link-format text (LwM2M 1.1).
public enum ResourceValue: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case unsignedInteger(UInt64)
    case float(Double)
    case boolean(Bool)
    case opaque([UInt8])
    case time(Int64)
    case objlnk(ObjectLink)
    case corelnk(String)

    public var type: ResourceType {
        switch self {
        case .string: .string
        case .integer: .integer
        case .unsignedInteger: .unsignedInteger
        case .float: .float
        case .boolean: .boolean
        case .opaque: .opaque
        case .time: .time
        case .objlnk: .objlnk
        case .corelnk: .corelnk
        }
    }

    /// The value as a signed integer when it is integral (integer, unsigned, time, boolean).
    public var integerValue: Int64? {
        switch self {
        case .integer(let v), .time(let v): v
        case .unsignedInteger(let v): Int64(exactly: v)
        case .boolean(let b): b ? 1 : 0
        default: nil
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let s), .corelnk(let s): s
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .float(let d): d
        case .integer(let v), .time(let v): Double(v)
        case .unsignedInteger(let v): Double(v)
        default: nil
        }
    }

    public var opaqueValue: [UInt8]? {
        if case .opaque(let b) = self { return b }
        return nil
    }
}
