/// The CoAP message layer and request/response matching for one local UDP socket (RFC 7252 §4,
/// §5), as a sans-I/O state machine. It is client and server at once: an LwM2M client sends
/// Register and Update and also answers the server's Read, Write, Execute and Observe.
///
/// Events in: `receive(_:now:)`, `advance(to:)`, `sendRequest`, `respond`, `deferResponse`,
/// `sendNotification`, `cancel`. Out: datagrams to transmit (`takeDatagrams()`, also returned by
/// `receive` and `advance`) and `EndpointEvent`s for the owner (`takeEvents()`). Wake it at
/// `nextDeadline`.
///
/// Contract:
/// - Message ids are sequential from a seeded start, wrapping, skipping any still in use towards
///   the same peer. Tokens are fresh random bytes from the seeded generator unless given.
/// - A Confirmable message is retransmitted by `configuration.retransmission` until its ACK or RST.
/// - A response is matched to its request by token and peer; a Confirmable separate response is
///   acknowledged automatically. Responses nobody waits for are answered with RST.
/// - A repeated CON or NON (same peer and message id within EXCHANGE_LIFETIME / NON_LIFETIME)
///   is never delivered twice; a repeated CON gets the same ACK or RST again. A copy arriving
///   before the owner answered gets nothing yet (the owner may `deferResponse` to stop the
///   peer's retransmissions while it works).
/// - An empty CON (ping) gets RST. A Confirmable request with an unknown critical option gets
///   4.02 Bad Option; unknown elective options are ignored (RFC 7252 §5.4.1).
/// - Malformed datagrams are dropped with a reason before any state changes. Every record
///   expires in virtual time and the tables have caps, so memory stays bounded.
///
/// Layers above it: an Observe registry decides what to notify and when, and sends through
/// `sendNotification` (its fate comes back as notification events); on the client side a request
/// carrying Observe 0 stays open and delivers each notification as a `.response` until
/// `cancel`. Block-wise transfer is assembled above from `.request`/`.response` events, one
/// block per exchange; the endpoint needs nothing special for it.
public struct CoAPEndpoint: DatagramNode, Sendable {
    public let configuration: Configuration
    var policy: RetransmissionPolicy
    var random: SplitMix64
    var nextMessageID: UInt16
    var nextID: UInt64 = 1

    var received: [MessageKey: ReceivedMessage] = [:]
    var receivedExpiries = DeadlineQueue<MessageKey>()
    var outgoing: [MessageKey: Transmission] = [:]
    var requests: [UInt64: OpenRequest] = [:]
    var requestsByToken: [TokenKey: UInt64] = [:]
    var timers = DeadlineQueue<Timer>()

    var outbox: [Datagram] = []
    var events: [EndpointEvent] = []

    /// - Parameters:
    ///   - seed: Seeds the generator for tokens and, unless `firstMessageID` is given, the first
    ///     message id.
    public init(configuration: Configuration = Configuration(), seed: UInt64, firstMessageID: UInt16? = nil) {
        self.configuration = configuration
        self.policy = configuration.retransmission
        self.random = SplitMix64(seed: seed)
        let start = UInt16(truncatingIfNeeded: random.next())
        self.nextMessageID = firstMessageID ?? start
    }

    // MARK: DatagramNode

    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        forgetExpired(now: now)
        handle(datagram, now: now)
        settle()
        return takeDatagrams()
    }

    public mutating func advance(to now: Instant) -> [Datagram] {
        forgetExpired(now: now)
        while let (deadline, timer) = timers.popDue(at: now) {
            fire(timer, scheduledAt: deadline)
        }
        settle()
        return takeDatagrams()
    }

    public var nextDeadline: Instant? { timers.earliest }

    // MARK: outputs

    /// The datagrams queued since the last call (by any event, including `sendRequest`).
    public mutating func takeDatagrams() -> [Datagram] {
        defer { outbox.removeAll(keepingCapacity: true) }
        return outbox
    }

    /// The events since the last call, oldest first.
    public mutating func takeEvents() -> [EndpointEvent] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    // MARK: what a status pane may show

    /// Requests of ours still waiting for an ACK or a response, or observing.
    public var openRequestCount: Int { requests.count }
    /// Sent messages that can still be acknowledged or reset.
    public var outstandingTransmissionCount: Int { outgoing.count }
    /// Received messages remembered for de-duplication.
    public var rememberedMessageCount: Int { received.count }
    /// Scheduled wake-ups, counting ones no longer needed that are not yet cleared away.
    var timerCount: Int { timers.count }

    // MARK: internals shared by the extensions

    mutating func send(_ bytes: [UInt8], to peer: PeerAddress) {
        outbox.append(Datagram(bytes, peer: peer))
    }

    mutating func emit(_ event: EndpointEvent) { events.append(event) }

    mutating func makeID() -> UInt64 {
        defer { nextID += 1 }
        return nextID
    }
}
