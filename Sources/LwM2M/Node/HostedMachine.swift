import CoAP

/// What a `LwM2MEndpointNode` needs from the LwM2M machine it hosts on a CoAP endpoint: messages and
/// exchange outcomes in, actions out, and its own timers. `LwM2MClient` and `LwM2MServer`
/// conform.
public protocol HostedMachine: Sendable {
    associatedtype Action: Sendable
    associatedtype Event: Sendable

    /// Splits an action into a message to carry, or an event for the owner.
    static func unpack(_ action: Action) -> HostedOutput<Event>

    mutating func receive(_ message: Message, from peer: PeerAddress, now: Instant) -> [Action]
    mutating func exchangeFailed(token: Token, _ cause: FailureCause, now: Instant) -> [Action]
    /// A response-type message outside a request's exchange (a notification, or a separate
    /// response carrying Observe) went out to `relation.peer` as `messageID`.
    mutating func notificationSent(_ relation: ObserveRelation.Key, messageID: UInt16, now: Instant)
    /// The peer acknowledged the Confirmable notification `messageID`.
    mutating func notificationAcknowledged(_ relation: ObserveRelation.Key, messageID: UInt16, now: Instant) -> [Action]
    /// The peer answered notification `messageID` with RST, or never acknowledged it.
    mutating func notificationFailed(_ relation: ObserveRelation.Key, messageID: UInt16, _ cause: FailureCause,
                                     now: Instant) -> [Action]
    mutating func advance(to now: Instant) -> [Action]
    var nextDeadline: Instant? { get }
    /// True while a request carrying `token` (or an observation under it) is still wanted.
    func isAwaiting(_ token: Token) -> Bool
    /// True while the machine keeps the request `messageID` from `peer` to answer later (a
    /// client whose owner answers); the node then keeps it open at the endpoint.
    func isHolding(messageID: UInt16, from peer: PeerAddress) -> Bool
    /// True while the machine serves the observe relation `relation`: after a notification's
    /// RST or timeout, the node forgets the relation's block-wise record only when this is false
    /// (the machine ignores an RST for a relation the peer has since replaced).
    func isObserved(_ relation: ObserveRelation.Key) -> Bool
}

extension HostedMachine {
    /// Machines that answer every request at once hold none.
    public func isHolding(messageID: UInt16, from peer: PeerAddress) -> Bool { false }

    /// Machines that serve no observers (the servers) keep no relation a failure could spare.
    public func isObserved(_ relation: ObserveRelation.Key) -> Bool { false }

    /// Machines that serve no observers (the servers) need not hear of notifications; a
    /// separate response's failure still ends the request it answered, by token.
    public mutating func notificationSent(_ relation: ObserveRelation.Key, messageID: UInt16, now: Instant) {}
    public mutating func notificationAcknowledged(_ relation: ObserveRelation.Key, messageID: UInt16,
                                                  now: Instant) -> [Action] { [] }
    public mutating func notificationFailed(_ relation: ObserveRelation.Key, messageID: UInt16, _ cause: FailureCause,
                                            now: Instant) -> [Action] {
        exchangeFailed(token: relation.token, cause, now: now)
    }
}

public enum HostedOutput<Event: Sendable>: Sendable {
    case send(Message, to: PeerAddress)
    case event(Event)
}

extension FailureCause {
    /// The cause for a CoAP exchange that ended without a response.
    public init(_ failure: ExchangeFailure) {
        switch failure {
        case .timeout: self = .timeout
        case .reset: self = .reset
        case .noResponse: self = .noResponse
        }
    }
}

extension LwM2MClient: HostedMachine {
    public static func unpack(_ action: Action) -> HostedOutput<ClientEvent> {
        switch action {
        case .send(let m, let p): .send(m, to: p)
        case .event(let e): .event(e)
        }
    }

    public func isAwaiting(_ token: Token) -> Bool { pending[token] != nil }

    public func isObserved(_ relation: ObserveRelation.Key) -> Bool { observers[relation] != nil }
}

extension LwM2MServer: HostedMachine {
    public static func unpack(_ action: Action) -> HostedOutput<Event> {
        switch action {
        case .send(let m, let p): .send(m, to: p)
        case .event(let e): .event(e)
        }
    }

    public func isAwaiting(_ token: Token) -> Bool {
        management.isAwaiting(token) || (bootstrap?.isAwaiting(token) ?? false)
    }
}
