/// A CoAP Content-Format number as LwM2M uses it (RFC 7252 §12.3, LwM2M 1.0 §6.4, 1.1 §7.4).
public struct ContentFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// From a CoAP option value; nil when wider than 16 bits.
    public init?(coapValue: UInt32) {
        guard let v = UInt16(exactly: coapValue) else { return nil }
        self.rawValue = v
    }

    public static let textPlain = ContentFormat(0)
    public static let linkFormat = ContentFormat(40)
    public static let opaque = ContentFormat(42)
    public static let cbor = ContentFormat(60)
    public static let senmlJSON = ContentFormat(110)
    public static let senmlCBOR = ContentFormat(112)
    /// The pre-registration numbers LwM2M 1.0 used for text and opaque (1541, 1542) are accepted
    /// by some servers; kept here so that they can be recognised.
    public static let legacyTextPlain = ContentFormat(1541)
    public static let legacyOpaque = ContentFormat(1542)
    public static let legacyTLV = ContentFormat(1543)
    public static let legacyJSON = ContentFormat(1544)
    public static let tlv = ContentFormat(11542)
    public static let lwm2mJSON = ContentFormat(11543)

    /// The formats this module can encode and decode.
    public var isSupported: Bool {
        switch self {
        case .textPlain, .linkFormat, .opaque, .senmlJSON, .tlv, .lwm2mJSON,
             .legacyTextPlain, .legacyOpaque, .legacyTLV, .legacyJSON: true
        default: false
        }
    }

    /// The legacy 1.0 draft numbers mapped to their registered equivalents.
    public var canonical: ContentFormat {
        switch self {
        case .legacyTextPlain: .textPlain
        case .legacyOpaque: .opaque
        case .legacyTLV: .tlv
        case .legacyJSON: .lwm2mJSON
        default: self
        }
    }

    public var description: String {
        switch self {
        case .textPlain: "text/plain"
        case .linkFormat: "application/link-format"
        case .opaque: "application/octet-stream"
        case .cbor: "application/cbor"
        case .senmlJSON: "application/senml+json"
        case .senmlCBOR: "application/senml+cbor"
        case .tlv: "application/vnd.oma.lwm2m+tlv"
        case .lwm2mJSON: "application/vnd.oma.lwm2m+json"
        default: "content-format \(rawValue)"
        }
    }
}
