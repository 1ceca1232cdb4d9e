/// The LwM2M server parameters of `AT+QLACONFIG` (without `<bootstrap_flag>`, which says what
/// kind of server it is: see ``ConfiguredServer``).
///
/// Contract: values are already in range (the catalogue checked them); `pskIdentity` and `psk`
/// are present exactly when `securityMode` is ``SecurityMode/preSharedKey``.
public struct ServerConfiguration: Hashable, Sendable, Codable {
    /// `<security_mode>`: 0 DTLS with a pre-shared key, 3 no security.
    public enum SecurityMode: Int64, Hashable, Sendable, Codable {
        case preSharedKey = 0
        case noSecurity = 3
    }

    /// `<binding_mode>`: 0 UDP, 1 UDP and queue mode. URCs print it as `U` / `UQ`.
    public enum Binding: Int64, Hashable, Sendable, Codable {
        case udp = 0
        case udpQueue = 1

        /// The LwM2M binding string (`/1/0/7`), as `+QLAURC: "binding_changed"` prints it.
        public var letters: String { self == .udp ? "U" : "UQ" }

        public init?(letters: String) {
            switch letters {
            case "U": self = .udp
            case "UQ": self = .udpQueue
            default: return nil
            }
        }
    }

    /// `<serverIP>`: an IP address or a domain name.
    public var host: String
    public var port: UInt16
    public var endpoint: String
    /// Seconds, 20...31_536_000.
    public var lifetime: Int64
    public var securityMode: SecurityMode
    public var pskIdentity: String?
    public var psk: String?
    public var binding: Binding

    public init(host: String, port: UInt16, endpoint: String, lifetime: Int64,
                securityMode: SecurityMode = .noSecurity, pskIdentity: String? = nil, psk: String? = nil,
                binding: Binding = .udp) {
        self.host = host
        self.port = port
        self.endpoint = endpoint
        self.lifetime = lifetime
        self.securityMode = securityMode
        self.pskIdentity = securityMode == .preSharedKey ? pskIdentity : nil
        self.psk = securityMode == .preSharedKey ? psk : nil
        self.binding = binding
    }

    /// Why a decoded value breaks the contract, or nil when it holds (used on loading a file).
    var problem: String? {
        if host.isEmpty || host.utf8.count > 150 { return "server host must be 1-150 bytes" }
        if endpoint.utf8.count > 150 { return "endpoint must be at most 150 bytes" }
        if !(20...31_536_000).contains(lifetime) { return "lifetime \(lifetime) is outside 20-31536000" }
        if (securityMode == .preSharedKey) != (pskIdentity != nil && psk != nil) {
            return "PSK identity and key must be present exactly with security mode 0"
        }
        return nil
    }
}

/// What AT+QLACONFIG last configured: a working server, or a bootstrap server whose working
/// server is still to come.
public enum ConfiguredServer: Hashable, Sendable {
    case working(ServerConfiguration)
    case bootstrap(ServerConfiguration)

    public var configuration: ServerConfiguration {
        switch self {
        case .working(let c), .bootstrap(let c): c
        }
    }

    public var isBootstrap: Bool {
        if case .bootstrap = self { return true }
        return false
    }
}

/// Printed, dumped or interpolated into a diagnostic (a session event carries the
/// configuration), the key shows only as `***`: it must never reach a log.
extension ServerConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var text = "ServerConfiguration(host: \(host), port: \(port), endpoint: \(endpoint), lifetime: \(lifetime), "
            + "securityMode: \(securityMode), binding: \(binding)"
        if let pskIdentity { text += ", pskIdentity: \(pskIdentity)" }
        if psk != nil { text += ", psk: ***" }
        return text + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "endpoint": endpoint, "lifetime": lifetime,
                                "securityMode": securityMode, "pskIdentity": pskIdentity as Any,
                                "psk": (psk == nil ? nil : "***") as Any, "binding": binding],
               displayStyle: .struct)
    }
}
