/// A CoAP method or response code, `c.dd` (RFC 7252 §12.1).
public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ codeClass: UInt8, _ detail: UInt8) { self.rawValue = (codeClass << 5) | (detail & 0x1F) }

    public var codeClass: UInt8 { rawValue >> 5 }
    public var detail: UInt8 { rawValue & 0x1F }
    public var isEmpty: Bool { rawValue == 0 }
    public var isRequest: Bool { codeClass == 0 && detail != 0 }
    public var isResponse: Bool { codeClass >= 2 }
    public var isSuccess: Bool { codeClass == 2 }

    public var description: String {
        let d = detail < 10 ? "0\(detail)" : "\(detail)"
        return "\(codeClass).\(d)"
    }

    public static let empty = Code(0, 0)
    public static let get = Code(0, 1)
    public static let post = Code(0, 2)
    public static let put = Code(0, 3)
    public static let delete = Code(0, 4)
    public static let fetch = Code(0, 5)
    public static let patch = Code(0, 6)
    public static let iPatch = Code(0, 7)

    public static let created = Code(2, 1)
    public static let deleted = Code(2, 2)
    public static let valid = Code(2, 3)
    public static let changed = Code(2, 4)
    public static let content = Code(2, 5)
    public static let `continue` = Code(2, 31)

    public static let badRequest = Code(4, 0)
    public static let unauthorized = Code(4, 1)
    public static let badOption = Code(4, 2)
    public static let forbidden = Code(4, 3)
    public static let notFound = Code(4, 4)
    public static let methodNotAllowed = Code(4, 5)
    public static let notAcceptable = Code(4, 6)
    public static let requestEntityIncomplete = Code(4, 8)
    public static let preconditionFailed = Code(4, 12)
    public static let requestEntityTooLarge = Code(4, 13)
    public static let unsupportedContentFormat = Code(4, 15)

    public static let internalServerError = Code(5, 0)
    public static let notImplemented = Code(5, 1)
    public static let serviceUnavailable = Code(5, 3)
}
