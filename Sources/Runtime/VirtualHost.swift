import CoAP

/// What the network needs from a hosted node, whatever its type.
protocol VirtualStation: AnyObject {
    var address: PeerAddress { get }
    var stationDeadline: Instant? { get }
    func deliver(_ datagram: Datagram, now: Instant) -> [Datagram]
    func wake(now: Instant) -> [Datagram]
}

/// A `DatagramNode` living at one address of a `VirtualNetwork`, kept by reference so a test can
/// reach in between steps: read `node`, or change it with `perform` so that what it returns is
/// sent at the network's current time.
///
/// Contract: the network re-reads `node.nextDeadline` before every step, so a change made
/// through any route (even assigning `node` directly) is honoured; but only `perform` sends
/// what a method returns. `wakeTimes` records every `advance(to:)` the network made.
public final class VirtualHost<Node: DatagramNode>: VirtualStation {
    public let address: PeerAddress
    public var node: Node
    /// Each instant at which the network called `advance(to:)`, in order.
    public private(set) var wakeTimes: [Instant] = []
    /// Each datagram the node received, with its arrival time, in order.
    public private(set) var arrivals: [(at: Instant, datagram: Datagram)] = []
    /// The network this host belongs to. Keep the network alive as long as its hosts are used.
    public unowned let network: VirtualNetwork

    init(node: Node, address: PeerAddress, network: VirtualNetwork) {
        self.node = node
        self.address = address
        self.network = network
    }

    /// Runs `work` on the node at the network's current time and sends what it returns from this
    /// host's address, e.g. `client.perform { node, now in node.register(now: now) }`.
    public func perform(_ work: (inout Node, Instant) -> [Datagram]) {
        let outgoing = work(&node, network.now)
        network.send(outgoing, from: address)
    }

    /// Runs `work` on the node at the network's current time and returns its result.
    @discardableResult
    public func withNode<Result>(_ work: (inout Node, Instant) -> Result) -> Result {
        work(&node, network.now)
    }

    /// Runs `work` like `perform`, at virtual time `instant` (or now, if that has passed).
    public func schedule(at instant: Instant, _ work: @escaping (inout Node, Instant) -> [Datagram]) {
        network.schedule(at: instant) { self.perform(work) }
    }

    var stationDeadline: Instant? { node.nextDeadline }

    func deliver(_ datagram: Datagram, now: Instant) -> [Datagram] {
        arrivals.append((now, datagram))
        return node.receive(datagram, now: now)
    }

    func wake(now: Instant) -> [Datagram] {
        wakeTimes.append(now)
        return node.advance(to: now)
    }
}

@available(*, unavailable)
extension VirtualHost: Sendable {}
