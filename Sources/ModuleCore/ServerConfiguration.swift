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
    /// `<PSK>` as AT+QLACONFIG? prints it: the text as typed, or for a key a bootstrap wrote, its
    /// text or hex (see ``pskKey``).
    public var psk: String?
    /// The key's bytes when they are not `psk`'s UTF-8: a key a bootstrap server wrote to /0/x/5
    /// (opaque, often random bytes). Nil for a typed key. Optional in the state file, so files
    /// written before it load.
    public var pskKey: [UInt8]?
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

    /// A PSK account with the key's bytes as a bootstrap wrote them: `psk` becomes their
    /// printable form (``printable(key:)``) and ``pskKey`` keeps them when that differs.
    public init(host: String, port: UInt16, endpoint: String, lifetime: Int64,
                pskIdentity: String, key: [UInt8], binding: Binding = .udp) {
        let text = Self.printable(key: key)
        self.init(host: host, port: port, endpoint: endpoint, lifetime: lifetime, securityMode: .preSharedKey,
                  pskIdentity: pskIdentity, psk: text, binding: binding)
        self.pskKey = Array(text.utf8) == key ? nil : key
    }

    /// The bytes the DTLS handshake uses as the key: ``pskKey``, else `psk`'s UTF-8.
    public var keyBytes: [UInt8]? {
        guard securityMode == .preSharedKey else { return nil }
        return pskKey ?? psk.map { Array($0.utf8) }
    }

    /// `<PSK>` as one AT string: the key itself when it is printable ASCII without `"` (what
    /// AT+QLACONFIG could have typed), otherwise its bytes in lowercase hex, so that a quote, CR,
    /// LF or invalid UTF-8 never reaches the AT framing (DECISIONS.md, "A bootstrapped key
    /// prints as hex").
    public static func printable(key: [UInt8]) -> String {
        if !key.isEmpty, key.allSatisfy({ (0x20...0x7E).contains($0) && $0 != 0x22 }) {
            return String(decoding: key, as: UTF8.self)
        }
        let digits = Array("0123456789abcdef")
        return String(key.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }

    /// Why a decoded value breaks the contract, or nil when it holds (used on loading a file).
    var problem: String? {
        if host.isEmpty || host.utf8.count > 150 { return "server host must be 1-150 bytes" }
        if endpoint.utf8.count > 150 { return "endpoint must be at most 150 bytes" }
        if !(20...31_536_000).contains(lifetime) { return "lifetime \(lifetime) is outside 20-31536000" }
        if (securityMode == .preSharedKey) != (pskIdentity != nil && psk != nil) {
            return "PSK identity and key must be present exactly with security mode 0"
        }
        if pskKey != nil && securityMode != .preSharedKey { return "PSK key bytes without security mode 0" }
        if let psk, psk.contains(where: { $0 == "\"" || $0 == "\r" || $0 == "\n" }) {
            return "PSK text must not contain a quote, CR or LF"
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
