import CoAP

/// The emulated module on its own: ``EmulatedModule`` with an ``UnreachableNetwork`` behind it,
/// as an ``ATDevice``. Every AT command that needs no server works exactly as the engine does;
/// exchanges with a server time out. (``NetworkedModule`` is the module on its real session.)
public struct StandaloneModule: ATDevice, Sendable {
    public private(set) var module: EmulatedModule
    public private(set) var network = UnreachableNetwork()

    public init(module: EmulatedModule) {
        self.module = module
    }

    public init(identity: ModuleIdentity = ModuleIdentity(), timing: ModuleTiming = ModuleTiming(),
                savedState: ModuleState = .defaults) {
        self.init(module: EmulatedModule(identity: identity, timing: timing, savedState: savedState))
    }

    public mutating func powerOn(now: Instant) -> ATDeviceOutput {
        route(module.powerOn(now: now), now: now)
    }

    public mutating func receive(bytes: [UInt8], now: Instant) -> ATDeviceOutput {
        var output = advance(to: now)
        output.append(route(module.receive(bytes: bytes, now: now), now: now))
        return output
    }

    public mutating func receive(datagram: Datagram, now: Instant) -> ATDeviceOutput {
        var output = advance(to: now)
        output.diagnostics.append("datagram from \(datagram.peer) dropped: this module has no network")
        return output
    }

    public mutating func advance(to now: Instant) -> ATDeviceOutput {
        var output = ATDeviceOutput()
        // Session events and engine timers in time order, so a timeout at 126 s lands before an
        // automatic update at 250 s.
        while let networkAt = network.nextDeadline, networkAt <= now {
            if let moduleAt = module.nextDeadline, moduleAt < networkAt {
                output.append(route(module.advance(to: moduleAt), now: moduleAt))
                continue
            }
            for (at, event) in network.due(at: networkAt) {
                output.append(route(module.handle(event, now: at), now: at))
            }
        }
        output.append(route(module.advance(to: now), now: now))
        return output
    }

    public var nextDeadline: Instant? {
        [module.nextDeadline, network.nextDeadline].compactMap { $0 }.min()
    }

    private mutating func route(_ output: ModuleOutput, now: Instant) -> ATDeviceOutput {
        for request in output.sessionRequests { network.accept(request, now: now) }
        return ATDeviceOutput(bytes: output.bytes, stateToSave: output.stateToSave, diagnostics: output.diagnostics)
    }
}
