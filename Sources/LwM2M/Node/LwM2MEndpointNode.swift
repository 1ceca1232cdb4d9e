import CoAP

public typealias LwM2MClientNode = LwM2MEndpointNode<LwM2MClient>
public typealias LwM2MServerNode = LwM2MEndpointNode<LwM2MServer>

/// An LwM2M machine hosted on a `CoAPEndpoint`: a `DatagramNode` a runtime can put on a UDP
/// socket or on the in-memory network. The endpoint does message ids, retransmission,
/// de-duplication and matching; the node does block-wise transfer (RFC 7959); the machine does
/// LwM2M and only ever sees whole messages. Events pile up for the owner to `takeEvents()`.
///
/// Contract: a response the machine produces goes out in answer to the request it names (same
/// peer, message id and token: piggybacked when it can be); a response-type message naming no
/// open request is a notification; every request the endpoint gave up on, and every notification
/// reset or left unacknowledged, reaches the machine as `exchangeFailed`. An open request the
/// machine no longer wants (a forgotten observation) is cancelled at the endpoint, so its next
/// notification is answered with RST there. A request the machine holds (`isHolding`) stays
/// open until the machine answers it; after `separateResponseAfter` milliseconds it is
/// acknowledged with an empty ACK and the answer goes as a separate response. With
/// `recordsTransport`, what the endpoint did with each message piles up as `TransportEvent`s.
///
/// Block-wise, both ways, at `blockwise.blockSize` unless the peer asks for smaller blocks:
/// - a request body over one block goes out with Block1 and its final answer reaches the
///   machine under the machine's token; a body arriving in Block1 blocks is reassembled
///   (2.31/4.08/4.13 answered here) and handed to the machine whole;
/// - an answer over one block (or one the peer asked to get in blocks, Block2 in the request)
///   goes out block by block, later blocks served from a kept copy; an answer arriving in
///   Block2 blocks is fetched to the end and handed to the machine whole;
/// - a large notification goes out as block 0 with Observe; one arriving so is completed with
///   plain GETs (§2.6) and handed over whole, as if it had come in one piece.
/// A block transfer that breaks ends the machine's request with `.malformedResponse`. Every
/// record is bounded and expires after `blockwise.lifetime` without a block.
public struct LwM2MEndpointNode<Machine: HostedMachine>: DatagramNode, Sendable {
    public internal(set) var machine: Machine
    public internal(set) var endpoint: CoAPEndpoint
    public let blockwise: BlockwiseConfiguration
    var events: [Machine.Event] = []
    /// Peer requests handed to the machine and not yet answered.
    var incoming: [RequestKey: IncomingExchange] = [:]
    /// The machine's requests (and notification fetches), by the endpoint handle now in flight.
    var exchanges: [UInt64: OutgoingExchange] = [:]
    var blockSender: Block2Sender
    var blockReceiver: Block1Receiver
    /// Observe registrations served, to cut large notifications as their request asked.
    var observers: [ObserverKey: ObserverRecord] = [:]
    var nextObserverSerial: UInt64 = 0
    /// When each held request gets its empty ACK.
    var deferAt: [RequestKey: Instant] = [:]
    private var transport: [TransportEvent] = []
    /// Milliseconds a held Confirmable request waits before its empty ACK; nil never acknowledges
    /// it early (the peer retransmits meanwhile, and gets the piggybacked answer in the end).
    public var separateResponseAfter: Int64?
    /// Whether `TransportEvent`s are kept for `takeTransportEvents()`.
    public var recordsTransport = false
    /// Datagrams the endpoint refused, with why, for a log; the newest 64 are kept.
    private var dropped: [(peer: PeerAddress, reason: DropReason)] = []

    struct RequestKey: Hashable, Sendable {
        var peer: PeerAddress
        var messageID: UInt16
        var token: Token
    }

    /// A peer request given to the machine: as the endpoint delivered it (its last block) and
    /// whole, with the Block1 option its final answer must echo when it came in blocks.
    struct IncomingExchange: Sendable {
        var request: IncomingRequest
        var whole: Message
        var block1: BlockOption?
    }

    struct ObserverKey: Hashable, Sendable {
        var peer: PeerAddress
        var token: Token
    }

    struct ObserverRecord: Sendable {
        var request: Message
        var serial: UInt64
    }

    public init(machine: Machine, endpoint: CoAPEndpoint, blockwise: BlockwiseConfiguration = BlockwiseConfiguration()) {
        self.machine = machine
        self.endpoint = endpoint
        self.blockwise = blockwise
        self.blockSender = Block2Sender(configuration: blockwise.senderConfiguration)
        self.blockReceiver = Block1Receiver(configuration: blockwise.receiverConfiguration)
    }

    /// Runs an owner command on the machine (`start`, `perform`, `deregister`...) at `now` and
    /// returns what to send. The command's own result, if any, is returned beside.
    public mutating func command<Result>(now: Instant,
                                         _ body: (inout Machine) -> (Result, [Machine.Action])) -> (Result, [Datagram]) {
        let (result, actions) = body(&machine)
        apply(actions, now: now)
        drainEndpoint(now: now)
        return (result, endpoint.takeDatagrams())
    }

    public mutating func command(now: Instant, _ body: (inout Machine) -> [Machine.Action]) -> [Datagram] {
        command(now: now) { m -> ((), [Machine.Action]) in ((), body(&m)) }.1
    }

    public mutating func takeEvents() -> [Machine.Event] {
        defer { events = [] }
        return events
    }

    public mutating func takeTransportEvents() -> [TransportEvent] {
        defer { transport = [] }
        return transport
    }

    // MARK: what a status pane (or a test) may show

    /// Requests of the machine whose body or answer is being moved in blocks now.
    public var transfersInProgress: Int { exchanges.values.filter(\.isTransferring).count }
    /// Requests of the machine (and notification fetches) open at the endpoint.
    public var openExchangeCount: Int { exchanges.count }
    /// Bodies being reassembled from a peer's Block1 blocks.
    public var incomingTransferCount: Int { blockReceiver.count }
    /// Large answers kept for a peer's Block2 requests.
    public var keptResponseCount: Int { blockSender.count }
    /// Observe registrations remembered for cutting notifications.
    public var observerCount: Int { observers.count }

    // MARK: DatagramNode

    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        // What `receive`/`advance` return is taken from the same queue; gather both.
        var out = endpoint.receive(datagram, now: now)
        drainEndpoint(now: now)
        out += endpoint.takeDatagrams()
        return out
    }

    public mutating func advance(to now: Instant) -> [Datagram] {
        var out = endpoint.advance(to: now)
        drainEndpoint(now: now)
        for (key, at) in deferAt.sorted(by: { $0.value < $1.value }) where at <= now {
            deferAt[key] = nil
            if let pending = incoming[key], endpoint.deferResponse(to: pending.request, now: now) {
                note(.responseDeferred(pending.request))
            }
        }
        blockSender.expire(now: now)
        blockReceiver.expire(now: now)
        if let t = machine.nextDeadline, t <= now {
            apply(machine.advance(to: now), now: now)
            drainEndpoint(now: now)
        }
        out += endpoint.takeDatagrams()
        return out
    }

    public var nextDeadline: Instant? {
        var earliest = Instant.earliest(endpoint.nextDeadline, machine.nextDeadline)
        earliest = Instant.earliest(earliest, Instant.earliest(blockSender.nextDeadline, blockReceiver.nextDeadline))
        for t in deferAt.values { earliest = Instant.earliest(earliest, t) }
        return earliest
    }

    // MARK: plumbing

    mutating func drainEndpoint(now: Instant) {
        // Handling an event can make the endpoint emit more (a response's RST, say): loop.
        while case let batch = endpoint.takeEvents(), !batch.isEmpty {
            for e in batch { handle(e, now: now) }
        }
    }

    private mutating func handle(_ event: EndpointEvent, now: Instant) {
        switch event {
        case .request(let r):
            receiveRequest(r, now: now)
        case .response(let handle, let m):
            receiveResponse(m, for: handle, now: now)
        case .requestFailed(let handle, let failure):
            let exchange = exchanges.removeValue(forKey: handle.id)
            if failure == .reset { note(.reset(peer: handle.peer, token: handle.token, messageID: handle.messageID)) }
            if case .notificationRest? = exchange?.purpose { return }
            let token = exchange?.machineToken ?? handle.token
            apply(machine.exchangeFailed(token: token, FailureCause(failure), now: now), now: now)
        case .notificationAcknowledged(let h):
            note(.notificationAcknowledged(h))
            apply(machine.notificationAcknowledged(h.relation, messageID: h.messageID, now: now), now: now)
        case .notificationReset(let h):
            note(.reset(peer: h.peer, token: h.token, messageID: h.messageID))
            apply(machine.notificationFailed(h.relation, messageID: h.messageID, .reset, now: now), now: now)
            forgetObserverUnlessObserved(h)
        case .notificationTimedOut(let h):
            note(.notificationTimedOut(h))
            apply(machine.notificationFailed(h.relation, messageID: h.messageID, .timeout, now: now), now: now)
            forgetObserverUnlessObserved(h)
        case .dropped(let peer, let reason):
            if dropped.count == 64 { dropped.removeFirst() }
            dropped.append((peer, reason))
        }
    }

    /// The block-wise record goes with the relation, and only when the machine says it ended:
    /// a failed notification of a relation since replaced under the same token leaves the new
    /// relation's record (and its Block2 size) alone.
    private mutating func forgetObserverUnlessObserved(_ h: NotificationHandle) {
        guard !machine.isObserved(h.relation) else { return }
        observers[ObserverKey(peer: h.peer, token: h.token)] = nil
    }

    mutating func apply(_ actions: [Machine.Action], now: Instant) {
        for action in actions {
            switch Machine.unpack(action) {
            case .event(let e):
                events.append(e)
            case .send(let m, let peer):
                send(m, to: peer, now: now)
            }
        }
        // Requests the machine gave up on (forgotten observations) stop at the endpoint too.
        for (id, exchange) in exchanges where !machine.isAwaiting(exchange.machineToken) {
            endpoint.cancel(exchange.handle)
            exchanges[id] = nil
        }
        // Held requests the machine dropped unanswered (a session that ended) are forgotten.
        for key in incoming.keys where !machine.isHolding(messageID: key.messageID, from: key.peer) {
            deferAt[key] = nil
            incoming[key] = nil
        }
    }

    /// Datagrams dropped since the last call (malformed, duplicate, unexpected), oldest first.
    public mutating func takeDropped() -> [(peer: PeerAddress, reason: DropReason)] {
        defer { dropped = [] }
        return dropped
    }

    mutating func note(_ event: TransportEvent) {
        if recordsTransport { transport.append(event) }
    }

    private mutating func send(_ m: Message, to peer: PeerAddress, now: Instant) {
        if m.code.isRequest {
            sendRequest(m, to: peer, now: now)
        } else if m.type == .reset {
            // The endpoint answers unwanted notifications with RST itself.
        } else if let pending = incoming.removeValue(forKey: RequestKey(peer: peer, messageID: m.messageID, token: m.token)) {
            deferAt[RequestKey(peer: peer, messageID: m.messageID, token: m.token)] = nil
            answer(pending, with: m, now: now)
        } else if m.code.isResponse {
            sendNotification(m, to: peer, now: now)
        }
    }
}

extension NotificationHandle {
    /// The observe relation a notification belongs to: its peer and token.
    var relation: ObserveRelation.Key { ObserveRelation.Key(peer: peer, token: token) }
}
