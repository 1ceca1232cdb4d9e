import CoAP
import DTLS
import LwM2M

/// The platform's secure port: CoAP over DTLS with pre-shared keys, as the platforms offer it
/// on 5684 beside 5683. A client handshakes with a key the platform holds (provisioned, as a
/// portal would, with ``provision(_:now:)``); its CoAP then reaches the same LwM2M server as
/// plain CoAP does, and every answer to it is sealed. A client is secure or plain by what it
/// last spoke: plain CoAP from a client with a DTLS session ends that session.
extension EmbeddedPlatform {
    /// A datagram on ``secureAddress``. Sealed answers land in ``takeSecureDatagrams()``; what
    /// is returned goes to plain clients (a timer's work done on the way).
    public mutating func receiveSecure(_ datagram: Datagram, now: Instant) -> [Datagram] {
        if security == nil {
            // OpenSSL is set up only for a platform someone speaks DTLS to.
            do { security = try DTLSServer(keys: keys) } catch {
                log.append("dtls: not available on \(secureAddress): \(error)", at: now)
                return []
            }
        }
        let (flights, plaintext) = security!.receive(datagram, now: now)
        secureOutbox += flights
        noteSecurityEvents(now: now)
        var plain: [Datagram] = []
        for d in plaintext {
            handOutSecurely(d, now: now)
            plain += split(node.receive(d, now: now), now: now)
            drainEvents(now: now)
        }
        return plain
    }

    /// Sealed datagrams for clients on the secure port, in order.
    public mutating func takeSecureDatagrams() -> [Datagram] {
        defer { secureOutbox = [] }
        return secureOutbox
    }

    /// Whether ``takeSecureDatagrams()`` would return datagrams.
    public var hasSecureDatagrams: Bool { !secureOutbox.isEmpty }

    /// Accepts `psk` from now on (replacing a key under the same identity); logs the identity,
    /// never the key. False when nothing changed.
    @discardableResult
    public mutating func provision(_ psk: PreSharedKey, now: Instant) -> Bool {
        guard keys.add(psk) else { return false }
        security?.keys.add(psk)
        log.append("dtls: PSK identity \"\(psk.identity)\" provisioned (\(psk.key.count)-byte key)", at: now)
        return true
    }

    /// The PSK identities this platform accepts.
    public var pskIdentities: [String] { keys.identities }

    /// Whether `peer` speaks DTLS here now.
    public func isSecure(_ peer: PeerAddress) -> Bool { security?.isEstablished(peer) ?? false }

    // MARK: Inside

    /// The node's datagrams: those for clients with a DTLS session are sealed into the outbox,
    /// the rest returned.
    mutating func split(_ datagrams: [Datagram], now: Instant) -> [Datagram] {
        guard security != nil, !datagrams.isEmpty else { return datagrams }
        var plain: [Datagram] = []
        for d in datagrams {
            if security!.isEstablished(d.peer) {
                secureOutbox += security!.send(d.bytes, to: d.peer, now: now)
            } else {
                plain.append(d)
            }
        }
        noteSecurityEvents(now: now)
        return plain
    }

    mutating func advanceSecurity(to now: Instant) {
        guard security != nil, let due = security!.nextDeadline, due <= now else { return }
        secureOutbox += security!.advance(to: now)
        noteSecurityEvents(now: now)
    }

    /// Plain CoAP from a client with a DTLS session: it has gone back to plain.
    mutating func leaveSecurity(_ peer: PeerAddress, now: Instant) {
        guard security != nil, security!.hasSession(peer) else { return }
        security!.forget(peer)
        log.append("dtls: \(peer) speaks plain CoAP now; its DTLS session is dropped", at: now)
    }

    /// A Bootstrap-Request over DTLS: the working server handed out is the secure port,
    /// `coaps://`, with the identity and key the client bootstrapped with (it proved it holds
    /// them). Over plain CoAP (`secure` false) the default `coap://` account is handed out.
    mutating func handOutSecurely(_ datagram: Datagram, secure: Bool = true, now: Instant) {
        guard let request = try? Message(decoding: datagram.bytes), request.code == .post, request.uriPath == ["bs"],
              let ep = request.uriQuery.first(where: { $0.hasPrefix("ep=") }).map({ String($0.dropFirst(3)) }),
              let working = machine.workingServerURI.flatMap({ LwM2MClient.peer(fromServerURI: $0) }) else { return }
        var psk: PreSharedKey?
        if secure, let identity = security?.session(with: datagram.peer)?.peerIdentity, let key = keys.key(for: identity) {
            psk = PreSharedKey(identity: identity, key: key)
        }
        let uri = "coaps://\(PeerAddress(host: working.host, port: secureAddress.port))"
        _ = node.command(now: now) { machine in
            machine.handOut(to: ep, secureURI: uri, psk: psk)
            return []
        }
        if let psk { log.append("dtls: \(ep) bootstraps over DTLS: its working server is \(uri) (identity \"\(psk.identity)\")", at: now) }
    }

    private mutating func noteSecurityEvents(now: Instant) {
        guard let events = security?.takeEvents(), !events.isEmpty else { return }
        for e in events {
            switch e {
            case .established(let peer, let identity, let version, let cipher, let resumed):
                log.append("dtls: \(peer) \(resumed ? "resumed its session" : "handshake done"), identity \"\(identity ?? "?")\", \(version) \(cipher)", at: now)
            case .failed(let peer, let failure, let identity):
                log.append("dtls: handshake with \(peer)\(identity.map { " (identity \"\($0)\")" } ?? "") failed: \(failure)", at: now)
            case .closed(let peer):
                log.append("dtls: \(peer) closed its session", at: now)
            }
        }
    }
}
