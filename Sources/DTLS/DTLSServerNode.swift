import CoAP

/// Any `DatagramNode` served over DTLS on its own port: every peer must handshake with a key
/// from the server's store; the node sees only application data, from the peer's address.
/// For a CoAP server (or an LwM2M client that serves any peer) on `coaps://`.
public struct DTLSServerNode<Inner: DatagramNode>: DatagramNode {
    public var inner: Inner
    public var security: DTLSServer

    public init(_ inner: Inner, security: DTLSServer) {
        self.inner = inner
        self.security = security
    }

    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        let (send, plaintext) = security.receive(datagram, now: now)
        var out = send
        for d in plaintext { out += seal(inner.receive(d, now: now), now: now) }
        return out
    }

    public mutating func advance(to now: Instant) -> [Datagram] {
        var out = security.advance(to: now)
        if let t = inner.nextDeadline, t <= now { out += seal(inner.advance(to: now), now: now) }
        return out
    }

    public var nextDeadline: Instant? { Instant.earliest(inner.nextDeadline, security.nextDeadline) }

    private mutating func seal(_ datagrams: [Datagram], now: Instant) -> [Datagram] {
        datagrams.flatMap { security.send($0.bytes, to: $0.peer, now: now) }
    }
}

extension DTLSServerNode: Sendable where Inner: Sendable {}
