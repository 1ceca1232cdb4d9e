import CoAP

public typealias LwM2MClientNode = LwM2MEndpointNode<LwM2MClient>
public typealias LwM2MServerNode = LwM2MEndpointNode<LwM2MServer>

/// An LwM2M machine hosted on a `CoAPEndpoint`: a `DatagramNode` a runtime can put on a UDP
/// socket or on the in-memory network. The endpoint does message ids, retransmission,
/// de-duplication and matching; the machine does LwM2M. Events pile up for the owner to
/// `takeEvents()`.
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
public struct LwM2MEndpointNode<Machine: HostedMachine>: DatagramNode, Sendable {
    public private(set) var machine: Machine
    public private(set) var endpoint: CoAPEndpoint
    private var events: [Machine.Event] = []
    private var incoming: [RequestKey: IncomingRequest] = [:]
    private var outgoing: [Token: RequestHandle] = [:]
    /// When each held request gets its empty ACK.
    private var deferAt: [RequestKey: Instant] = [:]
    private var transport: [TransportEvent] = []
    /// Milliseconds a held Confirmable request waits before its empty ACK; nil never acknowledges
    /// it early (the peer retransmits meanwhile, and gets the piggybacked answer in the end).
    public var separateResponseAfter: Int64?
    /// Whether `TransportEvent`s are kept for `takeTransportEvents()`.
    public var recordsTransport = false

    private struct RequestKey: Hashable, Sendable {
        var peer: PeerAddress
        var messageID: UInt16
        var token: Token
    }

    public init(machine: Machine, endpoint: CoAPEndpoint) {
        self.machine = machine
        self.endpoint = endpoint
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
            if let request = incoming[key], endpoint.deferResponse(to: request, now: now) {
                note(.responseDeferred(request))
            }
        }
        if let t = machine.nextDeadline, t <= now {
            apply(machine.advance(to: now), now: now)
            drainEndpoint(now: now)
        }
        out += endpoint.takeDatagrams()
        return out
    }

    public var nextDeadline: Instant? {
        ([endpoint.nextDeadline, machine.nextDeadline] + deferAt.values.map { Optional($0) }).compactMap { $0 }.min()
    }

    // MARK: plumbing

    private mutating func drainEndpoint(now: Instant) {
        // Handling an event can make the endpoint emit more (a response's RST, say): loop.
        while case let batch = endpoint.takeEvents(), !batch.isEmpty {
            for e in batch { handle(e, now: now) }
        }
    }

    private mutating func handle(_ event: EndpointEvent, now: Instant) {
        switch event {
        case .request(let r):
            let key = RequestKey(peer: r.peer, messageID: r.message.messageID, token: r.message.token)
            incoming[key] = r
            apply(machine.receive(r.message, from: r.peer, now: now), now: now)
            // The machines answer at once, or never (a sleeping client), or later when they hold it.
            if incoming[key] != nil, let delay = separateResponseAfter {
                deferAt[key] = now + delay
            }
        case .response(let handle, let m):
            apply(machine.receive(m, from: handle.peer, now: now), now: now)
        case .requestFailed(let handle, let failure):
            outgoing[handle.token] = nil
            if failure == .reset { note(.reset(peer: handle.peer, token: handle.token, messageID: handle.messageID)) }
            apply(machine.exchangeFailed(token: handle.token, FailureCause(failure), now: now), now: now)
        case .notificationAcknowledged(let h):
            note(.notificationAcknowledged(h))
            apply(machine.exchangeAcknowledged(token: h.token, now: now), now: now)
        case .notificationReset(let h):
            note(.reset(peer: h.peer, token: h.token, messageID: h.messageID))
            apply(machine.exchangeFailed(token: h.token, .reset, now: now), now: now)
        case .notificationTimedOut(let h):
            note(.notificationTimedOut(h))
            apply(machine.exchangeFailed(token: h.token, .timeout, now: now), now: now)
        case .dropped:
            break
        }
    }

    private mutating func apply(_ actions: [Machine.Action], now: Instant) {
        for action in actions {
            switch Machine.unpack(action) {
            case .event(let e):
                events.append(e)
            case .send(let m, let peer):
                send(m, to: peer, now: now)
            }
        }
        // Requests the machine gave up on (forgotten observations) stop at the endpoint too.
        for (token, handle) in outgoing where !machine.isAwaiting(token) {
            endpoint.cancel(handle)
            outgoing[token] = nil
        }
        // Held requests the machine dropped unanswered (a session that ended) are forgotten.
        for key in incoming.keys where !machine.isHolding(messageID: key.messageID, from: key.peer) {
            deferAt[key] = nil
            incoming[key] = nil
        }
    }

    private mutating func note(_ event: TransportEvent) {
        if recordsTransport { transport.append(event) }
    }

    private mutating func send(_ m: Message, to peer: PeerAddress, now: Instant) {
        if m.code.isRequest {
            let handle = endpoint.sendRequest(m, to: peer, confirmable: m.type == .confirmable, now: now)
            outgoing[m.token] = handle
            note(.requestSent(m, handle))
        } else if m.type == .reset {
            // The endpoint answers unwanted notifications with RST itself.
        } else if let request = incoming.removeValue(forKey: RequestKey(peer: peer, messageID: m.messageID, token: m.token)) {
            deferAt[RequestKey(peer: peer, messageID: m.messageID, token: m.token)] = nil
            let disposition = endpoint.respond(to: request, with: m, now: now)
            note(.responseSent(m, to: request, disposition))
        } else if m.code.isResponse {
            let handle = endpoint.sendNotification(m, to: peer, confirmable: m.type == .confirmable, now: now)
            note(.notificationSent(m, handle))
        }
    }
}
