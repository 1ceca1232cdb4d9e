import CoAP

/// DTLS to one server for an owner that speaks plain datagrams: those for ``server`` are sealed
/// on their way out (waiting for the handshake, which the first of them starts), those from it
/// opened on their way in. Datagrams to or from any other address pass unchanged.
///
/// Contract: as ``DTLSSession``'s; when the session has failed or closed, datagrams for the
/// server are dropped (the owner's own timeouts then end its exchanges) and ``failure`` says
/// why. Sans-I/O; the session inside is shared by copies.
public struct DTLSClientChannel: Sendable {
    public let server: PeerAddress
    public let session: DTLSSession

    public init(server: PeerAddress, credentials: PreSharedKey, configuration: DTLSConfiguration = DTLSConfiguration(),
                resuming: DTLSSavedSession? = nil) throws(DTLSFailure) {
        self.server = server
        session = try DTLSSession(client: credentials, configuration: configuration, resuming: resuming)
    }

    public var state: DTLSSession.State { session.state }

    public var failure: DTLSFailure? {
        if case .failed(let f) = session.state { return f }
        return nil
    }

    /// Outgoing datagrams, sealed where they go to the server.
    public func seal(_ datagrams: [Datagram], now: Instant) -> [Datagram] {
        var out: [Datagram] = []
        for d in datagrams {
            if d.peer == server {
                out += session.send(d.bytes, now: now).map { Datagram($0, peer: server) }
            } else {
                out.append(d)
            }
        }
        return out
    }

    /// An incoming datagram: what to send back (handshake flights) and the plain datagrams to
    /// hand the owner.
    public func open(_ datagram: Datagram, now: Instant) -> (send: [Datagram], deliver: [Datagram]) {
        guard datagram.peer == server else { return ([], [datagram]) }
        let out = session.receive(datagram.bytes, now: now)
        return (out.datagrams.map { Datagram($0, peer: server) }, out.plaintext.map { Datagram($0, peer: server) })
    }

    public func advance(to now: Instant) -> [Datagram] {
        session.advance(to: now).map { Datagram($0, peer: server) }
    }

    public var nextDeadline: Instant? { session.nextDeadline }

    /// close_notify to the server, if the session is up.
    public func close(now: Instant) -> [Datagram] {
        session.close(now: now).map { Datagram($0, peer: server) }
    }
}
