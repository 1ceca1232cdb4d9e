import CoAP
import ModuleCore
import Runtime

/// Runs an ``Emulator`` in real time on an `EventLoop` (whose monotonic clock is the
/// emulator's `now`): one UDP socket carries the traffic for real servers, a timer wakes the
/// emulator at its ``Emulator/nextDeadline``, and what it produces goes to the owner's
/// callbacks. This is the piece `bc260 serve` and the console put behind their AT link.
///
/// Contract:
/// - Every step (AT bytes in, a datagram from the socket, the timer, a platform command, owner
///   work through ``withEmulator(_:)``) ends the same way, in this order: a changed state saved
///   to ``stateStore`` (when given; before the bytes that confirm it) and passed to
///   ``onStateToSave``, external datagrams sent, AT bytes to ``onATOutput``, platform log lines
///   to ``onPlatformLines``, diagnostics to ``onDiagnostic``, and the timer re-armed. Problems
///   of the host's own (a lookup, the socket, a save) go to ``onProblem`` as they happen. Callbacks run on the loop's thread, after the
///   emulator has finished the step; they may call back into the host.
/// - Names are resolved here, at the edge, with ``resolver`` (blocking `getaddrinfo` by
///   default, so a first lookup may stall the loop briefly), and remembered: an answer for
///   ``resolutionMemory`` ms, a failure for ``failedResolutionMemory`` ms. A datagram whose
///   destination does not resolve (or has no address of the socket's family) is dropped with a
///   problem (``onProblem``) saying why; the module then sees no answer, which ends its exchange with result
///   code 1 after its retransmissions, as on a real network.
/// - A datagram arriving from an address the module's traffic was resolved to is given to the
///   emulator as coming from the name the module used, so a remap or a host name round-trips.
/// - Socket failures never stop the loop: they become problems, and the datagram is lost.
/// - The host keeps itself alive while it watches the socket; ``close()`` ends that.
///
/// Typical use:
/// ```swift
/// let loop = EventLoop()
/// let store = ModuleStateStore(directory: dir)
/// var configuration = Emulator.Configuration(savedState: store.load().state, remaps: remaps)
/// let host = try EmulatorHost(emulator: Emulator(configuration: configuration), loop: loop, stateStore: store)
/// host.onATOutput = { bytes in link.write(bytes) }
/// host.onPlatformLines = { lines in for l in lines { print(l) } }
/// host.powerOn()
/// // when the AT link has bytes: host.receive(atBytes: bytes)
/// try loop.run()
/// ```
public final class EmulatorHost {
    /// Finds the numeric addresses of a host name for UDP on a port, in preference order.
    public typealias Resolver = (_ host: String, _ port: UInt16) throws(SocketError) -> [PeerAddress]

    public private(set) var emulator: Emulator
    public let loop: EventLoop
    public let socket: UDPSocket
    /// Where changed states are written; nil leaves saving to ``onStateToSave``.
    public let stateStore: ModuleStateStore?
    public let resolver: Resolver

    /// Bytes for the AT link (echo, responses, URCs), in order.
    public var onATOutput: ([UInt8]) -> Void = { _ in }
    /// Log lines of the embedded platforms, in time order.
    public var onPlatformLines: ([Emulator.LogLine]) -> Void = { _ in }
    /// A changed saved state (already written when ``stateStore`` is set).
    public var onStateToSave: (ModuleState) -> Void = { _ in }
    /// The emulator's own account of details: why an AT line was answered `ERROR`, a session
    /// event that matched nothing. Chatty: for a verbose log.
    public var onDiagnostic: (String) -> Void = { _ in }
    /// What a user must hear of even when not asking for details, because the module cannot
    /// say it: a server name that does not resolve, a socket error, a state that cannot be saved.
    public var onProblem: (String) -> Void = { _ in }

    /// How long a resolved name is trusted, in milliseconds.
    public var resolutionMemory: Int64 = 300_000
    /// How long a failed lookup is remembered before it is tried again, in milliseconds.
    public var failedResolutionMemory: Int64 = 30_000
    /// The most datagrams read per readiness callback, so a flood cannot starve timers.
    public var receiveBatchLimit = 64

    private var resolutions: [PeerAddress: Resolution] = [:]
    /// The name the module used, by the numeric address it was resolved to.
    private var origins: [PeerAddress: PeerAddress] = [:]
    private var watchID: EventLoop.WatchID?
    /// A state whose save failed, tried again by ``close()``.
    private var unsavedState: ModuleState?
    private var timer: (id: EventLoop.TimerID, deadline: Instant)?

    private enum Resolution {
        case resolved(PeerAddress, until: Instant)
        case failed(String, until: Instant)
    }

    /// Opens the UDP socket at `bindingTo` (nil: `[::]:0`, dual-stack, or `0.0.0.0:0` where
    /// IPv6 is off) and starts watching it. Nothing runs until ``powerOn()`` or the loop runs.
    public init(emulator: Emulator, loop: EventLoop, bindingTo address: PeerAddress? = nil,
                stateStore: ModuleStateStore? = nil,
                resolver: @escaping Resolver = { host, port throws(SocketError) in try PeerAddress.resolve(host, port: port) }) throws(SocketError) {
        self.emulator = emulator
        self.loop = loop
        self.stateStore = stateStore
        self.resolver = resolver
        if let address {
            socket = try UDPSocket(bindingTo: address)
        } else if let dual = try? UDPSocket(bindingTo: PeerAddress(host: "::", port: 0)) {
            socket = dual
        } else {
            socket = try UDPSocket(bindingTo: PeerAddress(host: "0.0.0.0", port: 0))
        }
        // The watch keeps the host alive until close(), as UDPHost does.
        watchID = loop.watch(socket.fileDescriptor) { _ in self.drainSocket() }
        rearm()
    }

    /// Where external traffic leaves from (the kernel's port).
    public var localAddress: PeerAddress { socket.localAddress }

    // MARK: Owner steps

    /// Powers the module on (banner to ``onATOutput``).
    public func powerOn() {
        step { emulator, now in emulator.powerOn(now: now) }
    }

    /// Bytes typed on the AT link.
    public func receive(atBytes bytes: [UInt8]) {
        step { emulator, now in emulator.receive(atBytes: bytes, now: now) }
    }

    /// A console line for the embedded platform playing `profile`; nil when none runs here.
    /// Its reply's lines are returned; what the client answers arrives in ``onPlatformLines``.
    @discardableResult
    public func perform(_ command: PlatformCommand, on profile: PlatformProfile) -> PlatformReply? {
        withEmulator { emulator, now in emulator.perform(command, on: profile, now: now) }
    }

    /// A console line as typed (see ``Emulator/perform(line:on:now:)``).
    @discardableResult
    public func perform(line: String, on profile: PlatformProfile) -> PlatformReply? {
        withEmulator { emulator, now in emulator.perform(line: line, on: profile, now: now) }
    }

    /// Any other work on the emulator at the loop's time; its outputs are handled as for a step.
    @discardableResult
    public func withEmulator<Result>(_ work: (inout Emulator, Instant) -> Result) -> Result {
        let result = work(&emulator, loop.now)
        finishStep()
        return result
    }

    /// Tries once more to save a state whose save failed, stops watching the socket, cancels the
    /// timer, closes the socket. The emulator stays readable.
    public func close() {
        if let unsavedState, let stateStore {
            do {
                try stateStore.save(unsavedState)
                self.unsavedState = nil
            } catch {
                onProblem("cannot save the module state to \(stateStore.path): \(error)")
            }
        }
        if let watchID { loop.unwatch(watchID) }
        watchID = nil
        if let timer { loop.cancel(timer.id) }
        timer = nil
        socket.close()
    }

    // MARK: The loop's steps

    /// `work` returns AT bytes it took from the emulator; they go out first.
    private func step(_ work: (inout Emulator, Instant) -> [UInt8]) {
        let taken = work(&emulator, loop.now)
        finishStep(atBytesTaken: taken)
    }

    private func drainSocket() {
        for _ in 0..<max(1, receiveBatchLimit) {
            let received: Datagram?
            do { received = try socket.receive() } catch {
                onProblem("udp: \(error)")
                break
            }
            guard let datagram = received else { break }
            let shownAs = origins[datagram.peer] ?? datagram.peer
            emulator.receiveExternal(Datagram(datagram.bytes, peer: shownAs), now: loop.now)
        }
        finishStep()
    }

    private func deadlineReached() {
        timer = nil
        emulator.advance(to: loop.now)
        finishStep()
    }

    private func finishStep(atBytesTaken taken: [UInt8] = []) {
        let bytes = taken + emulator.takeATOutput()
        let datagrams = emulator.takeExternalDatagrams()
        let lines = emulator.takePlatformLines()
        let state = emulator.takeStateToSave()
        let diagnostics = emulator.takeDiagnostics()
        let now = loop.now
        rearm()
        // Saved before the `OK` that confirms it can reach anyone.
        if let state { save(state) }
        for d in datagrams { sendExternal(d, now: now) }
        if !bytes.isEmpty { onATOutput(bytes) }
        if !lines.isEmpty { onPlatformLines(lines) }
        for d in diagnostics { onDiagnostic(d) }
    }

    private func rearm() {
        guard watchID != nil else { return }
        let wanted = emulator.nextDeadline
        if let timer, timer.deadline == wanted { return }
        if let timer { loop.cancel(timer.id) }
        timer = nil
        if let wanted {
            let id = loop.schedule(at: wanted) { self.deadlineReached() }
            timer = (id, wanted)
        }
    }

    private func save(_ state: ModuleState) {
        if let stateStore {
            do {
                try stateStore.save(state)
                unsavedState = nil
            } catch {
                unsavedState = state
                onProblem("cannot save the module state to \(stateStore.path): \(error)")
            }
        }
        onStateToSave(state)
    }

    // MARK: External traffic

    private func sendExternal(_ datagram: Datagram, now: Instant) {
        guard !socket.isClosed, let target = resolve(datagram.peer, now: now) else { return }
        origins[target] = datagram.peer
        do { try socket.send(Datagram(datagram.bytes, peer: target)) } catch {
            onProblem("udp: \(datagram.bytes.count) bytes for \(datagram.peer) not sent: \(error)")
        }
    }

    /// The numeric address to send to, or nil (with a problem reported the first time in a while).
    private func resolve(_ destination: PeerAddress, now: Instant) -> PeerAddress? {
        let key = PeerAddress(host: destination.host.lowercased(), port: destination.port)
        switch resolutions[key] {
        case .resolved(let address, let until) where now < until:
            return address
        case .failed(_, let until) where now < until:
            return nil
        default:
            break
        }
        do {
            let found = try resolver(destination.host, destination.port)
            // A dual-stack socket reaches both families; an IPv4 socket only IPv4 addresses.
            let reachable = socket.localAddress.host.contains(":") ? found : found.filter { !$0.host.contains(":") }
            guard let chosen = reachable.first else {
                throw SocketError.addressFamilyMismatch(socket: socket.localAddress, peer: found.first ?? destination)
            }
            resolutions[key] = .resolved(chosen, until: now + resolutionMemory)
            return chosen
        } catch {
            let reason = "\(error)"
            resolutions[key] = .failed(reason, until: now + failedResolutionMemory)
            onProblem("the module's datagram to \(destination) is dropped: \(reason). "
                + "The module gets no answer (result code 1 once its retransmissions end); "
                + "check the address or give --remap \(destination)=HOST:PORT")
            return nil
        }
    }
}

@available(*, unavailable)
extension EmulatorHost: Sendable {}
