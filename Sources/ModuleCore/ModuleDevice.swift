import ATProtocol
import CoAP
import LwM2M

/// The whole emulated BC260Y-CN: the AT engine (``EmulatedModule``) wired to a real LwM2M
/// session (``ModuleSession``) on one UDP socket. Sans-I/O on both of its edges: bytes typed on
/// the AT link in, datagrams from the network in, time through `now`; out come AT bytes,
/// datagrams, the state to save, diagnostics.
///
/// Contract:
/// - Each session request the engine issues goes to the session at once, and each event the
///   session reports goes back to the engine at once, until both are quiet: one call returns
///   everything its input caused.
/// - As a `DatagramNode` (for a `VirtualNetwork` or a UDP host), `receive` and `advance` return
///   the datagrams; what they printed on the AT link waits in ``takeOutput()``.
///   ``receive(atBytes:now:)`` and ``powerOn(now:)`` return everything, datagrams included.
/// - ``nextDeadline`` is the earlier of the engine's and the session's.
public struct ModuleDevice: DatagramNode, Sendable {
    public private(set) var module: EmulatedModule
    public private(set) var session: ModuleSession
    private var pending = DeviceOutput()

    public init(module: EmulatedModule = EmulatedModule(), session: ModuleSession = ModuleSession()) {
        self.module = module
        self.session = session
    }

    public mutating func powerOn(now: Instant) -> DeviceOutput {
        absorb(module.powerOn(now: now), now: now)
        return takeOutput()
    }

    /// Bytes typed on the AT link; returns everything produced, datagrams included.
    public mutating func receive(atBytes bytes: [UInt8], now: Instant) -> DeviceOutput {
        catchUp(to: now)
        absorb(module.receive(bytes: bytes, now: now), now: now)
        return takeOutput()
    }

    /// What was produced and not yet taken (AT bytes from datagrams and timers, above all).
    public mutating func takeOutput() -> DeviceOutput {
        defer { pending = DeviceOutput() }
        return pending
    }

    // MARK: DatagramNode

    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        catchUp(to: now)
        pending.datagrams += session.receive(datagram, now: now)
        pump(now: now)
        return takeDatagrams()
    }

    public mutating func advance(to now: Instant) -> [Datagram] {
        catchUp(to: now)
        return takeDatagrams()
    }

    public var nextDeadline: Instant? {
        Instant.earliest(module.nextDeadline, session.nextDeadline)
    }

    // MARK: Wiring

    /// Runs both sides' timers due by `now`, earliest first.
    private mutating func catchUp(to now: Instant) {
        var rounds = 0
        while let due = nextDeadline, due <= now, rounds < 10_000 {
            rounds += 1
            if let t = session.nextDeadline, t <= due {
                pending.datagrams += session.advance(to: t)
                pump(now: t)
            }
            if let t = module.nextDeadline, t <= due {
                absorb(module.advance(to: t), now: t)
            }
        }
    }

    private mutating func absorb(_ output: ModuleOutput, now: Instant) {
        pending.bytes += output.bytes
        if let state = output.stateToSave { pending.stateToSave = state }
        pending.diagnostics += output.diagnostics
        for request in output.sessionRequests {
            pending.datagrams += session.perform(request, now: now)
        }
        pump(now: now)
    }

    /// Hands the session's events to the engine until neither has more to say.
    private mutating func pump(now: Instant) {
        pending.diagnostics += session.takeDiagnostics()
        for event in session.takeEvents() {
            absorb(module.handle(event, now: now), now: now)
        }
    }

    private mutating func takeDatagrams() -> [Datagram] {
        defer { pending.datagrams = [] }
        return pending.datagrams
    }
}
