import CoAP

/// Hosts one `DatagramNode` on one `UDPSocket` inside an `EventLoop`: received datagrams are
/// fed to the node, `advance(to:)` is called when its `nextDeadline` comes, and whatever the
/// node returns is sent.
///
/// Contract: after every step (a datagram, a deadline, or owner work through `perform`) the
/// host re-reads `nextDeadline` and re-arms its one timer, so the node never needs to know the
/// loop exists. Socket failures never stop the loop: they go to `onError` and the datagram is
/// lost, as UDP would lose it. `afterStep` runs after every step so an owner can drain the
/// node's events (to a log or a screen). The host keeps itself alive while it watches the
/// socket; `close()` ends that.
public final class UDPHost<Node: DatagramNode> {
    /// The hosted machine. Read it freely; change it through `perform` or `withNode` so the
    /// deadline is re-armed and replies are sent.
    public private(set) var node: Node
    public let socket: UDPSocket
    public let loop: EventLoop
    /// Called with each send or receive failure. Defaults to ignoring it.
    public var onError: (SocketError) -> Void = { _ in }
    /// Called after each step, with the node as it now is.
    public var afterStep: (Node) -> Void = { _ in }

    /// The most datagrams read per readiness callback, so a flood cannot starve timers. They are
    /// read a batch per system call, and what the node answers to all of them is sent in batches.
    public var receiveBatchLimit = 64

    private var watchID: EventLoop.WatchID?
    private var timer: (id: EventLoop.TimerID, deadline: Instant)?

    /// Starts hosting at once: watches the socket and arms the node's first deadline.
    public init(node: Node, socket: UDPSocket, loop: EventLoop) {
        self.node = node
        self.socket = socket
        self.loop = loop
        watchID = loop.watch(socket.fileDescriptor) { _ in self.drainSocket() }
        rearm()
    }

    /// Runs owner work on the node at the loop's current time and sends what it returns,
    /// e.g. `host.perform { node, now in node.register(now: now) }`.
    public func perform(_ work: (inout Node, Instant) -> [Datagram]) {
        let outgoing = work(&node, loop.now)
        finishStep(sending: outgoing)
    }

    /// Like `perform` for work that returns a value and sends nothing itself.
    @discardableResult
    public func withNode<Result>(_ work: (inout Node, Instant) -> Result) -> Result {
        let result = work(&node, loop.now)
        finishStep(sending: [])
        return result
    }

    /// Sends datagrams that did not come from the node (rarely needed; failures go to `onError`).
    public func send(_ datagrams: [Datagram]) {
        guard !datagrams.isEmpty else { return }
        for failure in socket.send(datagrams) { onError(failure.error) }
    }

    /// Stops watching the socket, cancels the deadline timer, and closes the socket.
    public func close() {
        if let watchID { loop.unwatch(watchID) }
        watchID = nil
        if let timer { loop.cancel(timer.id) }
        timer = nil
        socket.close()
    }

    private func drainSocket() {
        // A batch per system call; the replies to all of them leave together in finishStep.
        var outgoing: [Datagram] = []
        var budget = max(1, receiveBatchLimit)
        while budget > 0 {
            let wanted = min(budget, DatagramBatch.capacity)
            let received: [Datagram]
            do { received = try socket.receive(upTo: wanted) } catch { onError(error); break }
            for datagram in received { outgoing += node.receive(datagram, now: loop.now) }
            budget -= received.count
            if received.count < wanted { break }   // the queue is empty: no call just to hear EAGAIN
        }
        finishStep(sending: outgoing)
    }

    private func deadlineReached() {
        timer = nil
        let outgoing = node.advance(to: loop.now)
        finishStep(sending: outgoing)
    }

    private func finishStep(sending outgoing: [Datagram]) {
        send(outgoing)
        rearm()
        afterStep(node)
    }

    private func rearm() {
        guard watchID != nil else { return }   // closed: nothing more to wake for
        let wanted = node.nextDeadline
        if let timer, timer.deadline == wanted { return }
        if let timer { loop.cancel(timer.id) }
        timer = nil
        if let wanted {
            let id = loop.schedule(at: wanted) { self.deadlineReached() }
            timer = (id, wanted)
        }
    }
}

@available(*, unavailable)
extension UDPHost: Sendable {}
