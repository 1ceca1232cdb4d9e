/// One UDP payload and the peer it came from or goes to.
public struct Datagram: Hashable, Sendable {
    public var bytes: [UInt8]
    public var peer: PeerAddress
    public init(_ bytes: [UInt8], peer: PeerAddress) { self.bytes = bytes; self.peer = peer }
}

/// A sans-I/O participant that a runtime can host on a real UDP socket or on the in-memory
/// network: it is fed datagrams and timer ticks with the current time, and answers with the
/// datagrams to send. What it learns on the way (events for a UI or a log) it keeps for its
/// owner to read; the runtime only moves bytes and time.
public protocol DatagramNode {
    /// A datagram arrived at `now`; returns what to send in answer.
    mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram]
    /// Time has reached `now` (at or after `nextDeadline`); returns what to send.
    mutating func advance(to now: Instant) -> [Datagram]
    /// When `advance(to:)` must next be called, or nil when nothing is scheduled.
    var nextDeadline: Instant? { get }
}
