/// The observing side of one relation (RFC 7641 §3): the GET Observe=0 that was sent, and the
/// freshness state that lets newer notifications through and drops reordered older ones.
///
/// Matching a response to this record by token and peer is the exchange machine's job; this
/// type judges what the response means. It never sends anything: cancelling hands back the
/// GET Observe=1 to send, or marks the record so the next notification is answered with RST.
public struct Observation: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        /// Registration sent, no response yet.
        case requested
        /// At least one response carried Observe: notifications are expected.
        case established
        /// The caller cancelled; notifications still arriving are to be rejected with RST.
        case cancelled
        /// The server ended the observation (a response without Observe, or an error).
        case ended
    }

    public let peer: PeerAddress
    /// The registration request; its token identifies the observation.
    public let request: Message
    public private(set) var state: State = .requested
    /// The Observe value and local arrival time of the last notification let through.
    public private(set) var lastSequence: ObserveSequence?
    public private(set) var lastReceivedAt: Instant?

    /// `request` is the GET (or FETCH) to send; Observe=0 is set on it if missing.
    public init(request: Message, peer: PeerAddress) {
        var r = request
        r.observe = 0
        self.request = r
        self.peer = peer
    }

    public var token: Token { request.token }

    /// Judges a response or notification carrying this observation's token, received at
    /// `now` (local time: §3.4 compares arrival times, not anything the server says).
    public mutating func receive(_ response: Message, now: Instant) -> ObservationEvent {
        guard response.code.isResponse else { return .ignored(.notAResponse) }
        switch state {
        case .ended:
            return .ignored(.alreadyEnded)
        case .cancelled:
            // A plain answer is the server confirming a GET Observe=1; a notification is
            // still flowing and must be rejected (§3.6).
            if response.observe == nil || !response.code.isSuccess {
                state = .ended
                return .ended(response)
            }
            return .reject
        case .requested, .established:
            break
        }
        guard response.code.isSuccess, let raw = response.observe else {
            state = .ended
            return .ended(response)
        }
        guard let sequence = ObserveSequence(exactly: raw) else { return .ignored(.malformedObserve(raw)) }
        if let last = lastSequence, let at = lastReceivedAt,
           !sequence.isFresher(than: last, receivedAt: at, now: now) {
            return .ignored(.stale(last: last, received: sequence))
        }
        state = .established
        lastSequence = sequence
        lastReceivedAt = now
        return .notification(response)
    }

    /// Proactive cancellation (§3.6): the GET Observe=1 to send, with the same token and
    /// options as the registration and no message id (the exchange machine assigns one).
    /// Notifications that still arrive before the server processes it are to be RST.
    public mutating func cancel() -> Message {
        if state != .ended { state = .cancelled }
        var r = request
        r.messageID = 0
        r.observe = 1
        return r
    }

    /// Reactive cancellation: forget the observation quietly; the next notification gets
    /// `.reject`, and the RST sent for it ends the relation on the server.
    public mutating func forget() {
        if state != .ended { state = .cancelled }
    }
}

/// What a response means to an `Observation`.
public enum ObservationEvent: Hashable, Sendable {
    /// Fresh: deliver it (the registration's first response or a newer notification).
    case notification(Message)
    /// The observation is over (the server answered without Observe or with an error, or
    /// confirmed a cancellation): deliver it as the last word, then drop the record.
    case ended(Message)
    /// The observation was cancelled: answer this notification with RST.
    case reject
    /// Not for the application: acknowledge it if it was CON, then drop it.
    case ignored(ObservationIgnoreReason)
}

public enum ObservationIgnoreReason: Hashable, Sendable, CustomStringConvertible {
    /// Older than (or as old as) the last notification let through (§3.4).
    case stale(last: ObserveSequence, received: ObserveSequence)
    /// The Observe value needs more than 3 bytes.
    case malformedObserve(UInt32)
    case notAResponse
    case alreadyEnded

    public var description: String {
        switch self {
        case .stale(let last, let received): "stale notification \(received.value) after \(last.value)"
        case .malformedObserve(let v): "Observe value \(v) over 24 bits"
        case .notAResponse: "not a response"
        case .alreadyEnded: "observation already ended"
        }
    }
}
