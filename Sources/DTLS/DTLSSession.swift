import CDTLSClock
import COpenSSL
import CoAP

/// One DTLS association with one peer, with pre-shared keys, sans-I/O: datagrams from the peer
/// and plaintext from the owner go in, datagrams for the peer and plaintext from it come out.
/// OpenSSL does the protocol on datagram BIOs; the session never touches a socket.
///
/// Contract:
/// - Time moves only through the `now` of each call (never backwards: an earlier `now` counts as
///   the latest seen). OpenSSL's handshake timers run on that clock: after a flight is sent,
///   ``nextDeadline`` says when ``advance(to:)`` must be called; there the flight goes again,
///   with each wait doubled from ``DTLSConfiguration/initialTimeout`` up to
///   ``DTLSConfiguration/maximumTimeout``; after ``DTLSConfiguration/maximumRetransmissions``
///   retransmissions of one flight the next timeout fails the session with
///   ``DTLSFailure/timedOut``.
/// - Plaintext sent while the handshake runs waits (at most ``pendingLimit`` datagrams, an
///   exact copy of one waiting is dropped: a CoAP retransmission) and goes once it is done.
/// - Whatever the peer sends, garbled or cut, never crashes it: DTLS drops records it cannot
///   authenticate. A fatal alert, either way, ends it in ``State/failed(_:)``; a close_notify
///   in ``State/closed``. After that nothing goes in or out.
/// - The key never appears in ``description``, a failure or an event.
///
/// A class: OpenSSL's `SSL` is a mutable object. Use it from one thread at a time; a value that
/// holds one and is copied shares it.
public final class DTLSSession: @unchecked Sendable, CustomStringConvertible {
    public enum Role: Hashable, Sendable { case client, server }

    public enum State: Hashable, Sendable {
        case handshaking
        case established
        case failed(DTLSFailure)
        /// The peer sent close_notify, or ``close(now:)`` was called.
        case closed
    }

    /// What one call produced.
    public struct Output: Hashable, Sendable {
        /// Datagrams for the peer, in order.
        public var datagrams: [[UInt8]] = []
        /// Application data from the peer, one datagram's worth each.
        public var plaintext: [[UInt8]] = []

        public init(datagrams: [[UInt8]] = [], plaintext: [[UInt8]] = []) {
            self.datagrams = datagrams
            self.plaintext = plaintext
        }
    }

    public static let pendingLimit = 32

    public let role: Role
    public private(set) var state: State = .handshaking
    /// When ``advance(to:)`` must next be called: a handshake flight's retransmission.
    public private(set) var nextDeadline: Instant?
    /// After the handshake: `DTLSv1.2` or `DTLSv1`, and the cipher suite.
    public private(set) var protocolVersion: String?
    public private(set) var cipher: String?
    /// After the handshake: whether it resumed a saved session (abbreviated handshake).
    public private(set) var resumedSession = false
    /// Server: the identity the client's key was found under.
    public var peerIdentity: String? { link.acceptedIdentity }
    /// The identity of the key in use: the one offered (client) or accepted (server).
    public var identity: String? { role == .client ? link.credentials?.identity : link.acceptedIdentity }

    private let context: DTLSContext
    private let link: DTLSLink
    private let ssl: OpaquePointer
    private var now: Instant = .zero
    private var pending: [[UInt8]] = []
    /// Application data read in the call under way.
    private var received: [[UInt8]] = []

    /// A client offering `credentials`; with `resuming` (a session saved from an earlier
    /// handshake with the same server) it asks for an abbreviated handshake, which the server
    /// may refuse (then a full one follows).
    public convenience init(client credentials: PreSharedKey, configuration: DTLSConfiguration = DTLSConfiguration(),
                            resuming: DTLSSavedSession? = nil) throws(DTLSFailure) {
        let context = try DTLSContext(server: false, configuration: configuration)
        try self.init(context: context, credentials: credentials, store: PreSharedKeyStore(), cookieSecret: [], peer: "")
        if let resuming { SSL_set_session(ssl, resuming.pointer) }
    }

    /// A server session for one peer, sharing `context` (its cache and keys) with the others.
    init(context: DTLSContext, credentials: PreSharedKey?, store: PreSharedKeyStore,
         cookieSecret: [UInt8], peer: String) throws(DTLSFailure) {
        self.context = context
        role = context.isServer ? .server : .client
        link = DTLSLink(configuration: context.configuration, credentials: credentials, store: store,
                        cookieSecret: cookieSecret, peer: peer)
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else { throw .setup(Self.drainErrors() ?? "SSL_new") }
        guard let bio = link.makeBIO() else {
            SSL_free(ssl)
            throw .setup(Self.drainErrors() ?? "BIO_new")
        }
        self.ssl = ssl
        // One BIO both ways; SSL_free frees it.
        SSL_set_bio(ssl, bio, bio)
        _ = bc260_ssl_set_mtu(ssl, context.configuration.mtu)
        DTLS_set_timer_cb(ssl) { ssl, previous in
            guard let link = DTLSLink.of(ssl) else { return 1_000_000 }
            let configuration = link.configuration
            if previous == 0 {
                // A new flight: its own count of retransmissions.
                link.retransmissions = 0
                return UInt32(clamping: configuration.initialTimeout * 1000)
            }
            link.retransmissions += 1
            return UInt32(clamping: min(Int64(previous) * 2, configuration.maximumTimeout * 1000))
        }
        if context.isServer {
            _ = SSL_set_options(ssl, bc260_ssl_op_cookie_exchange())
            SSL_set_accept_state(ssl)
        } else {
            SSL_set_connect_state(ssl)
        }
    }

    deinit {
        // An established session dropped without close_notify (a module falling asleep) stays
        // resumable: OpenSSL would otherwise mark it bad when freed.
        if state == .established { SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN) }
        SSL_free(ssl)
    }

    public var description: String {
        let who = role == .client ? "client \(link.credentials?.identity ?? "")" : "server for \(link.peer)"
        return "DTLS \(who): \(state)"
    }

    public var isEstablished: Bool { state == .established }

    /// The session to resume later (client, once established); nil before, or when OpenSSL
    /// keeps none.
    public var savedSession: DTLSSavedSession? {
        // A copy of its own: what OpenSSL later does to the live session does not reach it.
        guard role == .client, state == .established, let live = SSL_get_session(ssl),
              let copy = SSL_SESSION_dup(live) else { return nil }
        return DTLSSavedSession(copy)
    }

    // MARK: Inputs

    /// Server, for a ClientHello from a peer the server keeps nothing for: OpenSSL's stateless
    /// cookie check (`DTLSv1_listen`). Without a valid cookie the answer is a HelloVerifyRequest
    /// (or nothing) and `admitted` is false: the caller drops this session, so a spoofed address
    /// costs the server no state. With one, the handshake goes on from that ClientHello.
    func listen(_ hello: [UInt8], now: Instant) -> (admitted: Bool, output: Output) {
        guard role == .server, state == .handshaking, !hello.isEmpty else { return (false, Output()) }
        link.inbound = [hello]
        var admitted = false
        let output = run(now) {
            guard let address = BIO_ADDR_new() else { return }
            defer { BIO_ADDR_free(address) }
            if DTLSv1_listen(self.ssl, address) == 1 {
                admitted = true
                self.step()
            }
        }
        link.inbound = []
        return (admitted, output)
    }

    /// Client: sends the first ClientHello. Also happens on the first ``send(_:now:)``.
    public func start(now: Instant) -> [[UInt8]] {
        run(now) { self.step() }.datagrams
    }

    /// A datagram from the peer.
    public func receive(_ datagram: [UInt8], now: Instant) -> Output {
        // An empty datagram would read as end of file to OpenSSL: it carries no record anyway.
        guard isOpen, !datagram.isEmpty else { return Output() }
        link.inbound.append(datagram)
        return run(now) { self.step() }
    }

    /// Application data for the peer: sealed now, or once the handshake is done.
    public func send(_ plaintext: [UInt8], now: Instant) -> [[UInt8]] {
        guard isOpen else { return [] }
        if state == .handshaking {
            if !pending.contains(plaintext) {
                if pending.count == Self.pendingLimit { pending.removeFirst() }
                pending.append(plaintext)
            }
            return run(now) { self.step() }.datagrams
        }
        return run(now) { self.write(plaintext) }.datagrams
    }

    /// Time has reached `now`: a flight whose answer is overdue goes again (or the session fails).
    public func advance(to now: Instant) -> [[UInt8]] {
        guard isOpen, let deadline = nextDeadline, deadline <= max(now, self.now) else { return [] }
        return run(now) {
            if self.link.retransmissions >= self.link.configuration.maximumRetransmissions {
                self.fail(.timedOut)
                return
            }
            if bc260_dtls_handle_timeout(self.ssl) < 0 { self.failFromOpenSSL(); return }
            self.step()
        }.datagrams
    }

    /// Sends close_notify and ends the session.
    public func close(now: Instant) -> [[UInt8]] {
        guard isOpen else { return [] }
        let out = run(now) {
            if self.state == .established { _ = SSL_shutdown(self.ssl) }
        }
        state = .closed
        nextDeadline = nil
        pending = []
        return out.datagrams
    }

    // MARK: Inside

    private var isOpen: Bool { state == .handshaking || state == .established }

    /// Runs `body` with OpenSSL's clock at `now`, then collects what OpenSSL wrote and the next
    /// timeout.
    private func run(_ requested: Instant, _ body: () -> Void) -> Output {
        now = max(now, requested)
        bc260_dtls_clock_enter(now.milliseconds)
        defer { bc260_dtls_clock_leave() }
        ERR_clear_error()
        received = []
        body()
        var left = timeval()
        if isOpen, bc260_dtls_get_timeout(ssl, &left) == 1 {
            nextDeadline = now + Int64(left.tv_sec) * 1000 + (Int64(left.tv_usec) + 999) / 1000
        } else {
            nextDeadline = nil
        }
        defer { link.outbound = []; received = [] }
        return Output(datagrams: link.outbound, plaintext: received)
    }

    /// Moves the handshake on, then reads whatever application data arrived.
    private func step() {
        if state == .handshaking {
            let r = SSL_do_handshake(ssl)
            if r == 1 {
                state = .established
                protocolVersion = String(cString: SSL_get_version(ssl))
                if let c = SSL_get_current_cipher(ssl) { cipher = String(cString: SSL_CIPHER_get_name(c)) }
                resumedSession = SSL_session_reused(ssl) == 1
                let waiting = pending
                pending = []
                for p in waiting where state == .established { write(p) }
            } else {
                let error = SSL_get_error(ssl, r)
                if error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE { failFromOpenSSL(); return }
                // A fatal alert can arrive while OpenSSL still reports wanting more.
                if let a = link.alertReceived { fail(.alertReceived(a)); return }
            }
        }
        guard state == .established else { return }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while state == .established {
            let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n > 0 {
                received.append(Array(buffer[0..<Int(n)]))
                continue
            }
            let error = SSL_get_error(ssl, n)
            switch error {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                state = .closed
                nextDeadline = nil
            default:
                failFromOpenSSL()
            }
        }
    }

    private func write(_ plaintext: [UInt8]) {
        guard !plaintext.isEmpty else { return }
        let n = plaintext.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        if n <= 0 {
            let error = SSL_get_error(ssl, n)
            if error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE { failFromOpenSSL() }
        }
    }

    private func failFromOpenSSL() {
        if let a = link.alertReceived { fail(.alertReceived(a)); return }
        if let a = link.alertSent { fail(.alertSent(a)); return }
        fail(.protocolError(Self.drainErrors() ?? "unknown"))
    }

    private func fail(_ failure: DTLSFailure) {
        state = .failed(failure)
        nextDeadline = nil
        pending = []
        link.inbound = []
    }

    /// OpenSSL's error queue as one line (its reason strings name no key material).
    static func drainErrors() -> String? {
        var texts: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            texts.append(String(decoding: text, as: UTF8.self))
        }
        return texts.isEmpty ? nil : texts.joined(separator: "; ")
    }
}

/// A client's established DTLS session, kept to resume it later (`AT+QLACFG="dtls_mode",1`
/// after a deep-sleep wake). Holds one reference to OpenSSL's `SSL_SESSION`.
public final class DTLSSavedSession: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { SSL_SESSION_free(pointer) }
}
