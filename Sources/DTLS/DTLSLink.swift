import COpenSSL

/// What OpenSSL's callbacks of one session reach: the datagrams in both directions, the keys,
/// the retransmission count, the last alerts. OpenSSL calls back with only the `SSL *`; the
/// link hangs off the session's BIO (`BIO_get_data`), so the C callbacks capture nothing.
final class DTLSLink {
    /// Datagrams received, not yet read by OpenSSL.
    var inbound: [[UInt8]] = []
    /// Datagrams OpenSSL wrote, not yet taken.
    var outbound: [[UInt8]] = []
    let configuration: DTLSConfiguration
    /// Client: the identity and key offered.
    let credentials: PreSharedKey?
    /// Server: the keys accepted; the cookie secret and the peer's address text.
    let store: PreSharedKeyStore
    let cookieSecret: [UInt8]
    let peer: String
    /// Retransmissions of the flight in flight (OpenSSL starts each flight's timer afresh).
    var retransmissions = 0
    var alertReceived: String?
    var alertSent: String?
    /// The identity a server accepted, for its owner.
    var acceptedIdentity: String?
    /// Identities a server refused, for a log.
    var refusedIdentity: String?

    init(configuration: DTLSConfiguration, credentials: PreSharedKey?, store: PreSharedKeyStore,
         cookieSecret: [UInt8], peer: String) {
        self.configuration = configuration
        self.credentials = credentials
        self.store = store
        self.cookieSecret = cookieSecret
        self.peer = peer
    }

    /// The link of `ssl`, from its read BIO.
    static func of(_ ssl: OpaquePointer?) -> DTLSLink? {
        guard let ssl, let bio = SSL_get_rbio(ssl), let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<DTLSLink>.fromOpaque(data).takeUnretainedValue()
    }

    /// A BIO of the datagram method whose data is this link (unretained: the session keeps the
    /// link alive for as long as its `SSL` and BIO live).
    func makeBIO() -> OpaquePointer? {
        guard let bio = BIO_new(DatagramBIO.method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(self).toOpaque())
        return bio
    }

    /// A stateless cookie: the first 16 bytes of SHA-256(secret, peer address).
    func cookie() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let input = cookieSecret + Array(peer.utf8)
        let ok = input.withUnsafeBytes { raw in
            EVP_Digest(raw.baseAddress, raw.count, &digest, &length, EVP_sha256(), nil)
        }
        return ok == 1 ? Array(digest.prefix(16)) : Array(cookieSecret.prefix(16))
    }
}

/// A BIO that keeps datagram boundaries: each write is one datagram out, each read one datagram
/// in. OpenSSL 3.0's memory BIO is a byte stream (the datagram one came in 3.2), and DTLS must
/// see whole datagrams.
enum DatagramBIO {
    nonisolated(unsafe) static let method: OpaquePointer? = {
        guard let m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bc260 datagrams") else { return nil }
        BIO_meth_set_write(m) { bio, data, length in
            guard let bio, let link = link(bio), let data, length >= 0 else { return -1 }
            link.outbound.append(Array(UnsafeRawBufferPointer(start: data, count: Int(length))))
            return length
        }
        BIO_meth_set_read(m) { bio, buffer, capacity in
            guard let bio, let link = link(bio), let buffer, capacity > 0 else { return -1 }
            bc260_bio_clear_retry_flags(bio)
            guard !link.inbound.isEmpty else {
                bc260_bio_set_retry_read(bio)
                return -1
            }
            let datagram = link.inbound.removeFirst()
            // A datagram longer than OpenSSL's buffer is cut, as a socket would cut it.
            let count = min(datagram.count, Int(capacity))
            datagram.withUnsafeBytes { raw in
                if count > 0 { UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress!, byteCount: count) }
            }
            return Int32(count)
        }
        BIO_meth_set_ctrl(m) { _, command, _, _ in
            switch command {
            case BIO_CTRL_FLUSH, BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT: return 1
            default: return 0
            }
        }
        BIO_meth_set_create(m) { bio in
            BIO_set_init(bio, 1)
            return 1
        }
        BIO_meth_set_destroy(m) { bio in
            BIO_set_data(bio, nil)
            return 1
        }
        return m
    }()

    private static func link(_ bio: OpaquePointer) -> DTLSLink? {
        guard let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<DTLSLink>.fromOpaque(data).takeUnretainedValue()
    }
}
