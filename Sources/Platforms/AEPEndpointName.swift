/// The endpoint client name CT AEP requires (note 4.3.2): `urn:imei-imsi:<IMEI>-<IMSI>`, e.g.
/// `urn:imei-imsi:866971030603068-460111174747875`. IMEI and IMSI are 15 decimal digits each,
/// as in every example; the `urn:imei-imsi:` prefix is matched without regard to case
/// (RFC 8141 makes the namespace id case-insensitive).
public struct AEPEndpointName: Hashable, Sendable, CustomStringConvertible {
    public var imei: String
    public var imsi: String

    public static let prefix = "urn:imei-imsi:"

    public init?(imei: String, imsi: String) {
        guard Self.isDigits(imei, count: 15), Self.isDigits(imsi, count: 15) else { return nil }
        self.imei = imei
        self.imsi = imsi
    }

    public init?(parsing endpoint: String) {
        guard endpoint.lowercased().hasPrefix(Self.prefix) else { return nil }
        let ids = endpoint.dropFirst(Self.prefix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard ids.count == 2 else { return nil }
        self.init(imei: String(ids[0]), imsi: String(ids[1]))
    }

    public var description: String { Self.prefix + imei + "-" + imsi }

    private static func isDigits(_ s: String, count: Int) -> Bool {
        s.utf8.count == count && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
