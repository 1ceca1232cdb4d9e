import CoAP

/// One datagram as the in-memory network saw it: who sent it, when, to whom, and what became of
/// it. The network keeps one per send, in send order, and updates `fate` on arrival.
public struct CapturedDatagram: Hashable, Sendable, CustomStringConvertible {
    public enum DropReason: Hashable, Sendable {
        /// Lost by the link's loss probability.
        case loss
        /// Dropped by the network's `dropFilter`.
        case filter
        /// Nothing was at the destination address when it arrived.
        case noRoute
    }

    public enum Fate: Hashable, Sendable {
        /// Sent and not yet arrived.
        case inFlight(arrivesAt: Instant)
        case delivered(at: Instant)
        case dropped(DropReason)
    }

    /// Position in the capture log, counting from 0.
    public var sequence: Int
    public var sentAt: Instant
    public var from: PeerAddress
    public var to: PeerAddress
    public var bytes: [UInt8]
    public var fate: Fate

    public init(sequence: Int, sentAt: Instant, from: PeerAddress, to: PeerAddress, bytes: [UInt8], fate: Fate) {
        self.sequence = sequence
        self.sentAt = sentAt
        self.from = from
        self.to = to
        self.bytes = bytes
        self.fate = fate
    }

    /// When it reached its destination, nil if it has not (yet).
    public var deliveredAt: Instant? {
        if case .delivered(let at) = fate { return at }
        return nil
    }

    public var isDropped: Bool {
        if case .dropped = fate { return true }
        return false
    }

    public var description: String {
        let outcome: String
        switch fate {
        case .inFlight(let at): outcome = "in flight until \(at)"
        case .delivered(let at): outcome = "delivered \(at)"
        case .dropped(let reason): outcome = "dropped (\(reason))"
        }
        return "#\(sequence) \(sentAt) \(from) -> \(to) \(bytes.count) bytes, \(outcome)"
    }
}
