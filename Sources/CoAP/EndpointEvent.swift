/// What a `CoAPEndpoint` learned while handling datagrams and time, in the order it happened.
/// The owner drains them with `takeEvents()`.
public enum EndpointEvent: Hashable, Sendable, CustomStringConvertible {
    /// A new request from a peer (never a retransmitted copy).
    case request(IncomingRequest)
    /// A response to one of our requests: piggybacked (its `type` is `.acknowledgement`) or
    /// separate (`.confirmable`, already acknowledged by the endpoint, or `.nonConfirmable`).
    /// An Observe registration keeps getting these, one per notification, until cancelled.
    case response(RequestHandle, Message)
    /// The request ended without a (further) response.
    case requestFailed(RequestHandle, ExchangeFailure)
    /// The peer acknowledged a Confirmable notification or separate response.
    case notificationAcknowledged(NotificationHandle)
    /// The peer answered a notification or separate response with RST (RFC 7641 §3.6: it no
    /// longer wants it).
    case notificationReset(NotificationHandle)
    /// A Confirmable notification or separate response got no ACK after the last retransmission.
    case notificationTimedOut(NotificationHandle)
    /// A datagram was ignored (any RST it provoked has been sent).
    case dropped(PeerAddress, DropReason)

    public var description: String {
        switch self {
        case .request(let r): "\(r)"
        case .response(let h, let m): "response to \(h): \(m)"
        case .requestFailed(let h, let f): "\(h) failed: \(f)"
        case .notificationAcknowledged(let h): "\(h) acknowledged"
        case .notificationReset(let h): "\(h) reset"
        case .notificationTimedOut(let h): "\(h) timed out"
        case .dropped(let p, let r): "dropped datagram from \(p): \(r)"
        }
    }
}

/// Why a request ended without a response.
public enum ExchangeFailure: Hashable, Sendable, CustomStringConvertible {
    /// No ACK after the last retransmission of a Confirmable request.
    case timeout
    /// The peer answered with RST.
    case reset
    /// Acknowledged (or sent Non-confirmable), but no response came within the response timeout.
    case noResponse

    public var description: String {
        switch self {
        case .timeout: "timeout"
        case .reset: "reset by peer"
        case .noResponse: "no response"
        }
    }
}

/// Why a datagram was ignored. Each is logged; none changes any exchange.
public enum DropReason: Hashable, Sendable, CustomStringConvertible {
    /// Not a CoAP message at all (RFC 7252 §3). A Confirmable one whose header could be read was
    /// answered with RST.
    case malformed(MessageDecodingError)
    /// Well formed, but breaks a rule of RFC 7252 §4: a request in an ACK or RST, a RST with
    /// content, an empty Non-confirmable message, a reserved code class.
    case invalid(String)
    /// A copy of a message already handled; a Confirmable copy got the same answer again.
    case duplicate
    /// An ACK or RST for no message we are waiting on.
    case unexpectedAcknowledgement
    /// A response whose token and peer match no open request; it was answered with RST.
    case unexpectedResponse
    /// An option of class critical this endpoint does not understand (RFC 7252 §5.4.1), in a
    /// message for which the answer is to ignore or reject it.
    case unknownCriticalOption(OptionNumber)
    /// The table of received messages is full; the peer will retransmit.
    case overloaded

    public var description: String {
        switch self {
        case .malformed(let e): "malformed: \(e)"
        case .invalid(let why): "invalid: \(why)"
        case .duplicate: "duplicate"
        case .unexpectedAcknowledgement: "ACK or RST matching no outstanding message"
        case .unexpectedResponse: "response matching no open request"
        case .unknownCriticalOption(let n): "unknown critical option \(n.rawValue)"
        case .overloaded: "too many exchanges in progress"
        }
    }
}
