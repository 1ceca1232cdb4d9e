/// A CoAP option number and the properties its bits encode (RFC 7252 §5.4.6).
public struct OptionNumber: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public var isCritical: Bool { rawValue & 1 == 1 }
    public var isUnsafe: Bool { rawValue & 2 == 2 }
    public var isNoCacheKey: Bool { rawValue & 0x1E == 0x1C }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public static let ifMatch = OptionNumber(1)
    public static let uriHost = OptionNumber(3)
    public static let eTag = OptionNumber(4)
    public static let ifNoneMatch = OptionNumber(5)
    public static let observe = OptionNumber(6)
    public static let uriPort = OptionNumber(7)
    public static let locationPath = OptionNumber(8)
    public static let uriPath = OptionNumber(11)
    public static let contentFormat = OptionNumber(12)
    public static let maxAge = OptionNumber(14)
    public static let uriQuery = OptionNumber(15)
    public static let accept = OptionNumber(17)
    public static let locationQuery = OptionNumber(20)
    public static let block2 = OptionNumber(23)
    public static let block1 = OptionNumber(27)
    public static let size2 = OptionNumber(28)
    public static let proxyUri = OptionNumber(35)
    public static let proxyScheme = OptionNumber(39)
    public static let size1 = OptionNumber(60)

    /// Options this implementation understands; anything else critical in a request is 4.02.
    public static let known: Set<OptionNumber> = [
        .ifMatch, .uriHost, .eTag, .ifNoneMatch, .observe, .uriPort, .locationPath, .uriPath,
        .contentFormat, .maxAge, .uriQuery, .accept, .locationQuery, .block2, .block1, .size2,
        .proxyUri, .proxyScheme, .size1,
    ]

    public var name: String? {
        switch self {
        case .ifMatch: "If-Match"
        case .uriHost: "Uri-Host"
        case .eTag: "ETag"
        case .ifNoneMatch: "If-None-Match"
        case .observe: "Observe"
        case .uriPort: "Uri-Port"
        case .locationPath: "Location-Path"
        case .uriPath: "Uri-Path"
        case .contentFormat: "Content-Format"
        case .maxAge: "Max-Age"
        case .uriQuery: "Uri-Query"
        case .accept: "Accept"
        case .locationQuery: "Location-Query"
        case .block2: "Block2"
        case .block1: "Block1"
        case .size2: "Size2"
        case .proxyUri: "Proxy-Uri"
        case .proxyScheme: "Proxy-Scheme"
        case .size1: "Size1"
        default: nil
        }
    }

    public var description: String { name ?? "Option(\(rawValue))" }
}
