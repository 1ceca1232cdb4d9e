import COpenSSL
import CoAP

/// The server side of DTLS with pre-shared keys for many peers on one port, sans-I/O: one
/// ``DTLSSession`` per peer address, all sharing one OpenSSL context (so a client may resume a
/// session it had before), and a PSK store.
///
/// Contract:
/// - A session starts only with a datagram that is a ClientHello; anything else from an unknown
///   peer is dropped unread. Each new handshake goes through a cookie exchange first
///   (HelloVerifyRequest, RFC 6347 §4.2.1), answered statelessly: the cookie is a hash of the
///   peer's address and a secret of this server, and nothing is kept for a peer before its
///   ClientHello returns it, so a spoofed address costs no state.
/// - A ClientHello is told from a retransmission by its client random. A new one (with a valid
///   cookie) from a peer whose handshake is under way replaces that handshake (the client
///   restarted); from a peer whose session is established it starts a second handshake beside
///   it (a client that woke up, or came back after a reboot, with the same address, RFC 6347
///   §4.2.8); the new session replaces the old once it is established, and is dropped if it
///   fails.
/// - At most ``sessionLimit`` sessions are kept: at the limit the handshake heard of least
///   recently goes, and an established session never goes for a new handshake (which then
///   waits); a handshake quiet for ``handshakeLifetime`` ms is dropped.
/// - Application data goes out only on an established session; ``send(_:to:now:)`` to a peer
///   without one returns nothing.
/// - What happened (handshakes done or failed, sessions closed) piles up for ``takeEvents()``.
///   No key appears in an event.
public struct DTLSServer: Sendable {
    public enum Event: Hashable, Sendable {
        case established(PeerAddress, identity: String?, version: String, cipher: String, resumed: Bool)
        case failed(PeerAddress, DTLSFailure, identity: String?)
        case closed(PeerAddress)
    }

    public static let sessionLimit = 256
    public static let handshakeLifetime: Int64 = 60_000

    public let configuration: DTLSConfiguration
    /// Keys accepted from now on (a handshake under way keeps the keys it started with).
    public var keys: PreSharedKeyStore
    private let context: DTLSContext
    private let cookieSecret: [UInt8]
    private var sessions: [PeerAddress: DTLSSession] = [:]
    /// Second handshakes of peers whose session is established.
    private var renewals: [PeerAddress: DTLSSession] = [:]
    private var lastHeard: [PeerAddress: Instant] = [:]
    /// The client random of the ClientHello that opened each session and renewal.
    private var opener: [PeerAddress: [UInt8]] = [:]
    private var renewalOpener: [PeerAddress: [UInt8]] = [:]
    /// Peers whose current session's establishment was reported.
    private var announced: Set<PeerAddress> = []
    private var events: [Event] = []

    public init(configuration: DTLSConfiguration = DTLSConfiguration(), keys: PreSharedKeyStore = PreSharedKeyStore()) throws(DTLSFailure) {
        self.configuration = configuration
        self.keys = keys
        context = try DTLSContext(server: true, configuration: configuration)
        var secret = [UInt8](repeating: 0, count: 32)
        if RAND_bytes(&secret, Int32(secret.count)) != 1 {
            secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        }
        cookieSecret = secret
    }

    /// Whether `peer` has an established session (its traffic is sealed).
    public func isEstablished(_ peer: PeerAddress) -> Bool { sessions[peer]?.state == .established }

    /// Whether `peer` has a session in any state: what it is sent goes on the secure port.
    public func hasSession(_ peer: PeerAddress) -> Bool { sessions[peer] != nil || renewals[peer] != nil }

    public var peers: [PeerAddress] { Array(sessions.keys) }

    /// The session with `peer`, for reading (its version, cipher, identity).
    public func session(with peer: PeerAddress) -> DTLSSession? { sessions[peer] }

    public mutating func takeEvents() -> [Event] {
        defer { events = [] }
        return events
    }

    /// A datagram from `datagram.peer`: what to send back (handshake flights) and the
    /// application data it carried.
    public mutating func receive(_ datagram: Datagram, now: Instant) -> (send: [Datagram], plaintext: [Datagram]) {
        let peer = datagram.peer
        let bytes = datagram.bytes
        var targets: [DTLSSession] = []
        if let random = Self.clientRandom(bytes) {
            // The same random is the same handshake: a ClientHello retransmitted after the
            // HelloVerifyRequest keeps it (RFC 6347 §4.2.1). Any other is a new handshake.
            if let existing = sessions[peer], opener[peer] == random {
                targets = [existing]
            } else if let renewal = renewals[peer], renewalOpener[peer] == random {
                targets = [renewal]
            } else {
                return admit(bytes, random: random, from: peer, now: now)
            }
        } else if let existing = sessions[peer] {
            if let renewal = renewals[peer] {
                // Epoch 0 is the new handshake's; a later epoch may be either's, and each drops
                // what it cannot authenticate.
                targets = Self.isEpochZero(bytes) ? [renewal] : [existing, renewal]
            } else {
                targets = [existing]
            }
        }
        guard !targets.isEmpty else { return ([], []) }
        lastHeard[peer] = now
        var send: [Datagram] = [], plaintext: [Datagram] = []
        for session in targets {
            let out = session.receive(bytes, now: now)
            send += out.datagrams.map { Datagram($0, peer: peer) }
            plaintext += out.plaintext.map { Datagram($0, peer: peer) }
        }
        settle(peer, now: now)
        return (send, plaintext)
    }

    /// Seals `plaintext` for `peer`; nothing without an established session.
    public mutating func send(_ plaintext: [UInt8], to peer: PeerAddress, now: Instant) -> [Datagram] {
        guard let session = sessions[peer], session.state == .established else { return [] }
        let out = session.send(plaintext, now: now)
        settle(peer, now: now)
        return out.map { Datagram($0, peer: peer) }
    }

    /// Retransmits overdue flights, drops handshakes gone quiet.
    public mutating func advance(to now: Instant) -> [Datagram] {
        var out: [Datagram] = []
        for (peer, session) in sessions.sorted(by: { $0.key.description < $1.key.description }) {
            out += session.advance(to: now).map { Datagram($0, peer: peer) }
            if let r = renewals[peer] { out += r.advance(to: now).map { Datagram($0, peer: peer) } }
            settle(peer, now: now)
        }
        for (peer, session) in sessions where session.state == .handshaking {
            if let heard = lastHeard[peer], heard + Self.handshakeLifetime <= now { forget(peer) }
        }
        for (peer, renewal) in renewals where renewal.state == .handshaking {
            if let heard = lastHeard[peer], heard + Self.handshakeLifetime <= now { dropRenewal(peer) }
        }
        return out
    }

    public var nextDeadline: Instant? {
        var earliest: Instant?
        for (peer, session) in sessions {
            earliest = Instant.earliest(earliest, session.nextDeadline)
            if session.state == .handshaking, let heard = lastHeard[peer] {
                earliest = Instant.earliest(earliest, heard + Self.handshakeLifetime)
            }
        }
        for (peer, renewal) in renewals {
            earliest = Instant.earliest(earliest, renewal.nextDeadline)
            if let heard = lastHeard[peer] { earliest = Instant.earliest(earliest, heard + Self.handshakeLifetime) }
        }
        return earliest
    }

    /// Drops `peer`'s sessions without a word (it went back to plain CoAP).
    public mutating func forget(_ peer: PeerAddress) {
        sessions[peer] = nil
        dropRenewal(peer)
        lastHeard[peer] = nil
        opener[peer] = nil
        announced.remove(peer)
    }

    /// Sends close_notify to every peer with an established session and forgets them all, each
    /// with a ``Event/closed(_:)`` (a peer that comes back is announced afresh).
    public mutating func closeAll(now: Instant) -> [Datagram] {
        var out: [Datagram] = []
        for (peer, session) in sessions.sorted(by: { $0.key.description < $1.key.description }) {
            out += session.close(now: now).map { Datagram($0, peer: peer) }
            events.append(.closed(peer))
        }
        sessions = [:]
        announced = []
        renewals = [:]
        lastHeard = [:]
        opener = [:]
        renewalOpener = [:]
        return out
    }

    // MARK: Inside

    /// Notes a handshake's end, promotes a finished renewal, forgets what failed or closed.
    private mutating func settle(_ peer: PeerAddress, now: Instant) {
        if let renewal = renewals[peer] {
            switch renewal.state {
            case .established:
                sessions[peer] = renewal
                opener[peer] = renewalOpener[peer]
                dropRenewal(peer)
                note(renewal, peer)
            case .failed(let f):
                dropRenewal(peer)
                events.append(.failed(peer, f, identity: renewal.peerIdentity))
            case .closed:
                dropRenewal(peer)
            case .handshaking:
                break
            }
        }
        guard let session = sessions[peer] else { return }
        switch session.state {
        case .established:
            if !announced.contains(peer) { note(session, peer) }
        case .failed(let f):
            events.append(.failed(peer, f, identity: session.peerIdentity))
            forget(peer)
        case .closed:
            events.append(.closed(peer))
            forget(peer)
        case .handshaking:
            break
        }
    }

    private mutating func note(_ session: DTLSSession, _ peer: PeerAddress) {
        announced.insert(peer)
        events.append(.established(peer, identity: session.peerIdentity, version: session.protocolVersion ?? "?",
                                   cipher: session.cipher ?? "?", resumed: session.resumedSession))
    }

    private func newSession(for peer: PeerAddress) -> DTLSSession? {
        try? DTLSSession(context: context, credentials: nil, store: keys, cookieSecret: cookieSecret, peer: peer.description)
    }

    /// A ClientHello that opens a new handshake. Nothing is kept for it until it carries the
    /// cookie of this server for this address (the throwaway session only answers with a
    /// HelloVerifyRequest); then it replaces a handshake of the same peer under way, or runs as
    /// a renewal beside an established session, which it replaces once established itself
    /// (RFC 6347 §4.2.8). A spoofed hello can thus neither take a slot nor end a session.
    private mutating func admit(_ hello: [UInt8], random: [UInt8], from peer: PeerAddress,
                                now: Instant) -> (send: [Datagram], plaintext: [Datagram]) {
        guard let candidate = newSession(for: peer) else { return ([], []) }
        let (admitted, out) = candidate.listen(hello, now: now)
        let send = out.datagrams.map { Datagram($0, peer: peer) }
        guard admitted else { return (send, []) }
        if sessions[peer]?.state == .established {
            renewals[peer] = candidate
            renewalOpener[peer] = random
        } else {
            // A handshake under way from this address was given up by its client (a restart).
            if sessions[peer] == nil, !makeRoom() { return ([], []) }
            sessions[peer] = candidate
            opener[peer] = random
            announced.remove(peer)
        }
        lastHeard[peer] = now
        settle(peer, now: now)
        return (send, out.plaintext.map { Datagram($0, peer: peer) })
    }

    private mutating func dropRenewal(_ peer: PeerAddress) {
        renewals[peer] = nil
        renewalOpener[peer] = nil
    }

    /// Room for one more session: at the limit the handshake heard of least recently goes; an
    /// established session never goes for a handshake, so then there is no room.
    private mutating func makeRoom() -> Bool {
        guard sessions.count >= Self.sessionLimit else { return true }
        let handshaking = sessions.filter { $0.value.state == .handshaking }.keys
        guard let oldest = handshaking.min(by: { (lastHeard[$0] ?? .zero) < (lastHeard[$1] ?? .zero) }) else { return false }
        forget(oldest)
        return true
    }

    /// The 32-byte client random of a datagram that is a ClientHello at epoch 0 (its first
    /// fragment), else nil: 13 bytes of record header, 12 of handshake header, 2 of version.
    static func clientRandom(_ bytes: [UInt8]) -> [UInt8]? {
        guard isClientHello(bytes), bytes.count >= 59, bytes[19] == 0, bytes[20] == 0, bytes[21] == 0 else { return nil }
        return Array(bytes[27..<59])
    }

    /// A DTLS record of type handshake (22) at epoch 0 carrying a ClientHello (1): 13 bytes of
    /// record header, then the handshake message's type.
    static func isClientHello(_ bytes: [UInt8]) -> Bool {
        bytes.count > 25 && bytes[0] == 22 && bytes[1] == 0xFE && isEpochZero(bytes) && bytes[13] == 1
    }

    static func isEpochZero(_ bytes: [UInt8]) -> Bool { bytes.count >= 13 && bytes[3] == 0 && bytes[4] == 0 }
}
