/// How a ``DTLSSession`` speaks: which protocol versions, how long it waits for the peer's
/// next flight, how large its datagrams may be.
public struct DTLSConfiguration: Hashable, Sendable {
    /// `AT+QLACFG="dtls_version"`: 0 DTLS 1.0, 1 DTLS 1.2, 2 negotiated.
    public enum Version: Int64, Hashable, Sendable, CaseIterable {
        /// DTLS 1.0 only (RFC 4347). OpenSSL 3 still has it, at security level 0, with the CBC
        /// ciphers (PSK-AES128-CBC-SHA): AEAD ciphers need 1.2.
        case dtls1_0 = 0
        case dtls1_2 = 1
        /// 1.0 or 1.2, whichever is the highest both sides speak.
        case negotiate = 2

        /// The name OpenSSL reports (`SSL_get_version`) for a session at this version.
        public var name: String {
            switch self {
            case .dtls1_0: "DTLSv1"
            case .dtls1_2: "DTLSv1.2"
            case .negotiate: "DTLSv1 or DTLSv1.2"
            }
        }
    }

    public var version: Version
    /// The first wait for the peer's flight, in milliseconds; each retransmission doubles it.
    public var initialTimeout: Int64
    /// No wait is longer than this (RFC 6347 says 60 s).
    public var maximumTimeout: Int64
    /// Retransmissions of one flight; when the next timeout comes the handshake has failed.
    public var maximumRetransmissions: Int
    /// The largest datagram sent: 1280 (the IPv6 minimum MTU) less the IPv6 and UDP headers.
    public var mtu: Int
    /// The server's PSK identity hint (RFC 4279); nil sends none.
    public var identityHint: String?

    public init(version: Version = .negotiate, initialTimeout: Int64 = 1_000, maximumTimeout: Int64 = 60_000,
                maximumRetransmissions: Int = 5, mtu: Int = 1_232, identityHint: String? = nil) {
        self.version = version
        self.initialTimeout = max(1, initialTimeout)
        self.maximumTimeout = max(self.initialTimeout, maximumTimeout)
        // OpenSSL gives up by itself after 12 timeouts of one flight.
        self.maximumRetransmissions = min(max(0, maximumRetransmissions), 10)
        self.mtu = max(256, mtu)
        self.identityHint = identityHint
    }
}
