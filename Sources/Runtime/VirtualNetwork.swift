import CoAP

/// An in-memory UDP network in virtual time for tests: nodes at addresses, a clock that starts
/// at 0 and jumps from one event to the next, links with seeded loss and delay, and a log of
/// every datagram sent.
///
/// Contract (deterministic ordering): events are datagram arrivals, scheduled actions, and node
/// deadlines. The earliest instant goes first. At one instant, arrivals and actions go first in
/// the order they were sent or scheduled, then due node deadlines in the order nodes were added.
/// A deadline already in the past counts as due now. Each datagram draws from the seeded
/// generator in send order (a loss draw if the link can lose, then a jitter draw if it has
/// jitter), so the same seed and the same traffic give the same drops and delays. Datagrams to
/// an address with no node are logged as dropped (`noRoute`) on arrival. Single-threaded and
/// not `Sendable`: a test owns it.
public final class VirtualNetwork {
    private struct Pending {
        var time: Instant
        var event: Event
    }

    private enum Event {
        case arrival(logIndex: Int, datagram: Datagram, to: PeerAddress)
        case action(() -> Void)
    }

    /// The virtual clock.
    public private(set) var now: Instant = .zero
    /// Conditions for links that have none of their own.
    public var defaultLink: LinkConditions
    /// Every datagram sent, in send order; see `CapturedDatagram`.
    public private(set) var log: [CapturedDatagram] = []
    /// Drops a datagram when it returns true (asked at send time, before loss is drawn): for
    /// "lose exactly the first request" tests.
    public var dropFilter: ((CapturedDatagram) -> Bool)?

    private var generator: SplitMix64
    private var links: [Link: LinkConditions] = [:]
    private var stations: [VirtualStation] = []
    private var pending: [Pending] = []     // by time; equal times in the order enqueued

    private struct Link: Hashable { var from: PeerAddress; var to: PeerAddress }

    public init(seed: UInt64 = 0, defaultLink: LinkConditions = .perfect) {
        generator = SplitMix64(seed: seed)
        self.defaultLink = defaultLink
    }

    // MARK: Nodes and links

    /// Puts `node` at `address` (replacing whatever was there) and returns its host.
    @discardableResult
    public func add<Node: DatagramNode>(_ node: Node, at address: PeerAddress) -> VirtualHost<Node> {
        remove(at: address)
        let host = VirtualHost(node: node, address: address, network: self)
        stations.append(host)
        return host
    }

    /// Takes the node at `address` off the network; datagrams still on their way to it are lost.
    public func remove(at address: PeerAddress) {
        stations.removeAll { $0.address == address }
    }

    /// Sets the conditions from `from` to `to` only; nil returns the link to `defaultLink`.
    public func setLink(from: PeerAddress, to: PeerAddress, _ conditions: LinkConditions?) {
        links[Link(from: from, to: to)] = conditions
    }

    /// Sets the same conditions in both directions between `a` and `b`.
    public func setLink(between a: PeerAddress, and b: PeerAddress, _ conditions: LinkConditions?) {
        setLink(from: a, to: b, conditions)
        setLink(from: b, to: a, conditions)
    }

    /// The conditions that apply from `from` to `to`.
    public func link(from: PeerAddress, to: PeerAddress) -> LinkConditions {
        links[Link(from: from, to: to)] ?? defaultLink
    }

    // MARK: Traffic and actions

    /// Sends datagrams from `from` at the current time. Hosts call this for their nodes; a test
    /// can call it directly to inject bytes from an address with no node behind it.
    public func send(_ datagrams: [Datagram], from: PeerAddress) {
        for datagram in datagrams { transmit(datagram, from: from) }
    }

    /// Runs `action` at virtual time `instant` (or now, if that has passed), ordered with
    /// arrivals as the type's contract says.
    public func schedule(at instant: Instant, _ action: @escaping () -> Void) {
        enqueue(Pending(time: max(instant, now), event: .action(action)))
    }

    /// Forgets the captured datagrams (those in flight still arrive, unlogged).
    public func clearLog() {
        log.removeAll()
        for index in pending.indices {
            if case .arrival(_, let datagram, let to) = pending[index].event {
                pending[index].event = .arrival(logIndex: -1, datagram: datagram, to: to)
            }
        }
    }

    // MARK: Running

    /// When the next event happens, nil when nothing is pending and no node has a deadline.
    public var nextEventTime: Instant? {
        let queued = pending.first?.time
        let deadline = stations.compactMap(\.stationDeadline).min().map { max($0, now) }
        switch (queued, deadline) {
        case let (q?, d?): return min(q, d)
        case let (q?, nil): return q
        case let (nil, d): return d
        }
    }

    /// Whether nothing will ever happen without outside help.
    public var isIdle: Bool { nextEventTime == nil }

    /// Jumps to the next event and handles it; false when there was none.
    @discardableResult
    public func step() -> Bool {
        guard let time = nextEventTime else { return false }
        now = time
        if let first = pending.first, first.time == time {
            pending.removeFirst()
            handle(first.event)
            return true
        }
        for station in stations {
            if let deadline = station.stationDeadline, max(deadline, now) == time {
                send(station.wake(now: now), from: station.address)
                return true
            }
        }
        return true
    }

    /// Handles every event up to and including `instant`, then sets the clock to `instant`.
    /// Stops early (clock at the last event) after `eventLimit` events, a guard against a node
    /// whose deadline never moves forward. Returns how many events ran.
    @discardableResult
    public func run(until instant: Instant, eventLimit: Int = 100_000) -> Int {
        var count = 0
        while let next = nextEventTime, next <= instant {
            if count >= eventLimit { return count }
            step()
            count += 1
        }
        now = max(now, instant)
        return count
    }

    /// Runs for `milliseconds` of virtual time from now.
    @discardableResult
    public func run(for milliseconds: Int64, eventLimit: Int = 100_000) -> Int {
        run(until: now + milliseconds, eventLimit: eventLimit)
    }

    /// Handles events until none is left (true, clock at the last event), or until the next one
    /// lies after `limit` (false, clock at `limit`), or `eventLimit` events ran (false).
    @discardableResult
    public func runUntilIdle(limit: Instant, eventLimit: Int = 100_000) -> Bool {
        var count = 0
        while let next = nextEventTime {
            if next > limit { now = max(now, limit); return false }
            if count >= eventLimit { return false }
            step()
            count += 1
        }
        return true
    }

    // MARK: Internals

    private func handle(_ event: Event) {
        switch event {
        case let .action(action):
            action()
        case let .arrival(logIndex, datagram, to):
            guard let station = stations.first(where: { $0.address == to }) else {
                if log.indices.contains(logIndex) { log[logIndex].fate = .dropped(.noRoute) }
                return
            }
            if log.indices.contains(logIndex) { log[logIndex].fate = .delivered(at: now) }
            send(station.deliver(datagram, now: now), from: to)
        }
    }

    private func transmit(_ datagram: Datagram, from: PeerAddress) {
        let to = datagram.peer
        var entry = CapturedDatagram(sequence: log.count, sentAt: now, from: from, to: to,
                                     bytes: datagram.bytes, fate: .inFlight(arrivesAt: now))
        let conditions = link(from: from, to: to)
        if let dropFilter, dropFilter(entry) {
            entry.fate = .dropped(.filter)
        } else if conditions.lossProbability > 0, generator.nextUnitInterval() < conditions.lossProbability {
            entry.fate = .dropped(.loss)
        } else {
            let delay = max(0, conditions.delay) + generator.next(atMost: conditions.jitter)
            let arrival = now + delay
            entry.fate = .inFlight(arrivesAt: arrival)
            let delivered = Datagram(datagram.bytes, peer: from)
            enqueue(Pending(time: arrival, event: .arrival(logIndex: log.count, datagram: delivered, to: to)))
        }
        log.append(entry)
    }

    private func enqueue(_ item: Pending) {
        // Insert after everything at or before its time: equal times keep their send order.
        var low = 0, high = pending.count
        while low < high {
            let mid = (low + high) / 2
            if pending[mid].time <= item.time { low = mid + 1 } else { high = mid }
        }
        pending.insert(item, at: low)
    }
}

@available(*, unavailable)
extension VirtualNetwork: Sendable {}
