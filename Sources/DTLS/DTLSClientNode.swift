import CoAP

/// Any `DatagramNode` talking to one server over DTLS: the node's datagrams to the server go
/// through a ``DTLSClientChannel``. For a CoAP client of a `coaps://` server.
public struct DTLSClientNode<Inner: DatagramNode>: DatagramNode {
    public var inner: Inner
    public let channel: DTLSClientChannel

    public init(_ inner: Inner, channel: DTLSClientChannel) {
        self.inner = inner
        self.channel = channel
    }

    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        let (send, deliver) = channel.open(datagram, now: now)
        var out = send
        for d in deliver { out += channel.seal(inner.receive(d, now: now), now: now) }
        return out
    }

    public mutating func advance(to now: Instant) -> [Datagram] {
        var out = channel.advance(to: now)
        if let t = inner.nextDeadline, t <= now { out += channel.seal(inner.advance(to: now), now: now) }
        return out
    }

    public var nextDeadline: Instant? { Instant.earliest(inner.nextDeadline, channel.nextDeadline) }

    /// Owner work on the inner node; what it returns is sealed.
    public mutating func perform(now: Instant, _ work: (inout Inner, Instant) -> [Datagram]) -> [Datagram] {
        channel.seal(work(&inner, now), now: now)
    }
}

extension DTLSClientNode: Sendable where Inner: Sendable {}
