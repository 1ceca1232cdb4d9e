import CoAP
import DTLS
import LwM2M
import ModuleCore

/// The emulated BC260Y-CN together with the note's platforms: one ``ModuleDevice`` wired to an
/// ``EmbeddedNetwork``, as one sans-I/O value. This is what `bc260 serve`, `bc260 run` and the
/// console host.
///
/// Contract:
/// - The module has its own address, ``address`` (the PDP address of `AT+CGPADDR?` and a UDP
///   port). Every datagram it sends to an address an embedded platform answers (the note's
///   180.101.147.115:5683, 221.229.214.202:5683, lwm.home.komect.com:5683, or whatever a remap
///   rule bends onto them) is delivered inside this value, after ``Configuration/embeddedLatency``
///   milliseconds each way (0: within the same call). Those datagrams never leave it, so a test
///   or a script runs whole sessions in virtual time, as fast as the CPU goes.
/// - A datagram for any other address (after at most one remap rule) is for a real server: it
///   waits in ``takeExternalDatagrams()`` with that address as its `peer`, which may be a host
///   name (the owner resolves it). An answer from a real server goes in through
///   ``receiveExternal(_:now:)`` with the address it was sent to as its `peer`; the module sees
///   it as coming from the address it originally used (``EmbeddedNetwork/originalAddress(of:)``).
/// - Time moves only through `now`. Every entry point first runs whatever was due at or before
///   `now` (module timers, platform timers, datagrams in flight), earliest first, then does its
///   own work; ``nextDeadline`` says when ``advance(to:)`` must next be called. A `now` earlier
///   than one already seen counts as the one seen.
/// - Outputs accumulate until taken: AT bytes (``takeATOutput()``; ``powerOn(now:)`` and
///   ``receive(atBytes:now:)`` return and clear them), datagrams for real servers
///   (``takeExternalDatagrams()``), the latest state to save (``takeStateToSave()``), the
///   platforms' log lines (``takePlatformLines()``) and diagnostics (``takeDiagnostics()``); or
///   all of them at once with ``takeOutput()``. Nothing is lost when an owner takes late; order
///   is kept.
/// - Each embedded platform also speaks DTLS on its port + 1 (180.101.147.115:5684...). With
///   ``Configuration/trustsModuleKey`` (the default) a platform accepts the PSK_ID and PSK the
///   module was configured with, as if they had been entered on its portal: the emulator
///   provisions them when the module's first DTLS datagram reaches it. ``Configuration/keys``
///   are accepted everywhere besides.
/// - A learner drives a platform with ``perform(_:on:now:)`` (a parsed console line:
///   `read 1 /19/0/0`, `observe ...`, `write ...`) or ``perform(line:on:now:)`` (the text as
///   typed). The reply's lines are for now; the client's answer arrives later in the platform
///   log.
///
/// Hosting it, in real time: ``EmulatorHost`` on an `EventLoop` (a UDP socket for external
/// traffic, a monotonic clock, callbacks for AT bytes, platform lines, state saves,
/// diagnostics). In virtual time (tests, `bc260 run`), the owner's loop is:
/// ```swift
/// var emulator = Emulator(configuration: .init(savedState: store.load().state))
/// write(emulator.powerOn(now: .zero))
/// write(emulator.receive(atBytes: Array("AT+QLAREG\r".utf8), now: t))
/// while let d = emulator.nextDeadline, d <= until { emulator.advance(to: d); write(emulator.takeATOutput()) }
/// ```
public struct Emulator: Sendable {
    /// What an emulator is made of. The defaults give the note's module (IMEI 867724030023557,
    /// PDP address 10.177.135.245) with the three note platforms at their addresses.
    public struct Configuration: Sendable {
        public var identity: ModuleIdentity
        public var timing: ModuleTiming
        public var session: ModuleSession.Settings
        /// As loaded from a ``ModuleStateStore`` (the defaults when there is none).
        public var savedState: ModuleState
        /// The module's UDP port; its host is the identity's PDP address.
        public var port: UInt16
        /// Which platforms run in-process (at their note addresses).
        public var profiles: [PlatformProfile]
        /// `--remap FROM=TO` rules, applied before routing.
        public var remaps: [AddressRemap]
        /// One-way delay, in milliseconds, of datagrams between the module and an embedded
        /// platform. 0 delivers them within the call that sent them.
        public var embeddedLatency: Int64
        /// The lifetime the embedded Andlink bootstrap hands out. 30 s is the lifetime of the
        /// note's 4.4.2 example, which prints no `"lifetime_changed"` after its bootstrap.
        public var andlinkLifetime: Int64
        /// PSKs every embedded platform accepts on its DTLS port (`--psk IDENTITY:KEY`).
        public var keys: [PreSharedKey]
        /// Whether the embedded platforms accept the module's own PSK_ID and PSK (AT+QLACONFIG
        /// with security mode 0) as if provisioned on their portals.
        public var trustsModuleKey: Bool

        public init(identity: ModuleIdentity = ModuleIdentity(), timing: ModuleTiming = ModuleTiming(),
                    session: ModuleSession.Settings = ModuleSession.Settings(),
                    savedState: ModuleState = .defaults, port: UInt16 = 56830,
                    profiles: [PlatformProfile] = [.ctIoT, .ctAEP, .andlink], remaps: [AddressRemap] = [],
                    embeddedLatency: Int64 = 0, andlinkLifetime: Int64 = 30, keys: [PreSharedKey] = [],
                    trustsModuleKey: Bool = true) {
            self.identity = identity
            self.timing = timing
            self.session = session
            self.savedState = savedState
            self.port = port
            self.profiles = profiles
            self.remaps = remaps
            self.embeddedLatency = max(0, embeddedLatency)
            self.andlinkLifetime = andlinkLifetime
            self.keys = keys
            self.trustsModuleKey = trustsModuleKey
        }
    }

    public private(set) var device: ModuleDevice
    public private(set) var network: EmbeddedNetwork
    /// The module's own address: where its datagrams come from.
    public let address: PeerAddress
    public let embeddedLatency: Int64
    public let trustsModuleKey: Bool
    /// The latest `now` seen.
    public private(set) var now: Instant = .zero

    private var inFlight = EmulatorFlights()
    private var atBytes: [UInt8] = []
    private var external: [Datagram] = []
    private var stateToSave: ModuleState?
    private var diagnostics: [String] = []
    private var platformLines: [LogLine] = []

    /// The most steps one call runs before it gives up with a diagnostic (a datagram storm
    /// between the module and a platform would otherwise never end).
    static let stepLimit = 100_000

    public init(configuration: Configuration = Configuration()) {
        let module = EmulatedModule(identity: configuration.identity, timing: configuration.timing,
                                    savedState: configuration.savedState)
        device = ModuleDevice(module: module, session: ModuleSession(settings: configuration.session))
        network = EmbeddedNetwork(profiles: configuration.profiles, remaps: configuration.remaps,
                                  andlinkLifetime: configuration.andlinkLifetime, keys: configuration.keys)
        trustsModuleKey = configuration.trustsModuleKey
        address = PeerAddress(host: configuration.identity.pdpAddress, port: configuration.port)
        embeddedLatency = configuration.embeddedLatency
    }

    /// The AT engine, for reading (status, saved state, identity).
    public var module: EmulatedModule { device.module }

    /// The embedded platform playing `profile`, for reading (registrations, observations).
    public func platform(_ profile: PlatformProfile) -> EmbeddedPlatform? {
        network.address(of: profile).flatMap { network.platform(at: $0) }
    }

    // MARK: The AT side

    /// Powers the module on (`RDY`, `+CFUN: 1`, `+CPIN: READY`); returns every AT byte not taken.
    public mutating func powerOn(now: Instant) -> [UInt8] {
        let t = catchUp(to: now)
        absorb(device.powerOn(now: t), now: t)
        _ = catchUp(to: t)
        return takeATOutput()
    }

    /// Bytes typed on the AT link (any split: partial lines wait for their CR). Returns every AT
    /// byte not taken, including what embedded platforms caused within this call.
    public mutating func receive(atBytes bytes: [UInt8], now: Instant) -> [UInt8] {
        let t = catchUp(to: now)
        absorb(device.receive(atBytes: bytes, now: t), now: t)
        _ = catchUp(to: t)
        return takeATOutput()
    }

    // MARK: Time

    /// Runs everything due at or before `now`.
    public mutating func advance(to now: Instant) {
        _ = catchUp(to: now)
    }

    /// When ``advance(to:)`` must next be called: the earliest of the module's timers, the
    /// platforms' timers and the datagrams in flight; nil when nothing is scheduled.
    public var nextDeadline: Instant? {
        Instant.earliest(device.nextDeadline, Instant.earliest(network.nextDeadline, inFlight.nextArrival))
    }

    // MARK: The real network

    /// A datagram from a real server; `datagram.peer` is the address the module's datagram was
    /// sent to (as ``takeExternalDatagrams()`` gave it, before any name resolution).
    public mutating func receiveExternal(_ datagram: Datagram, now: Instant) {
        let t = catchUp(to: now)
        let shownAs = network.originalAddress(of: datagram.peer)
        deliverToDevice(Datagram(datagram.bytes, peer: shownAs), now: t)
        _ = catchUp(to: t)
    }

    /// Datagrams for real servers, in the order sent; `peer` is the destination (a host name or
    /// a numeric address, after remapping).
    public mutating func takeExternalDatagrams() -> [Datagram] {
        defer { external = [] }
        return external
    }

    // MARK: Outputs

    /// AT bytes produced and not yet taken (URCs from datagrams and timers, above all).
    public mutating func takeATOutput() -> [UInt8] {
        defer { atBytes = [] }
        return atBytes
    }

    /// The saved state to write, when it changed since the last call (the latest wins).
    public mutating func takeStateToSave() -> ModuleState? {
        defer { stateToSave = nil }
        return stateToSave
    }

    /// The embedded platforms' log lines not yet taken, in time order.
    public mutating func takePlatformLines() -> [LogLine] {
        collectPlatformLines()
        defer { platformLines = [] }
        return platformLines
    }

    /// Why something did not happen as asked (a refused AT line, a dropped datagram), for a log pane.
    public mutating func takeDiagnostics() -> [String] {
        defer { diagnostics = [] }
        return diagnostics
    }

    /// Everything produced and not yet taken, in one value (for an owner that forwards it all
    /// at once, such as an adapter to another device protocol).
    public mutating func takeOutput() -> Output {
        Output(atBytes: takeATOutput(), externalDatagrams: takeExternalDatagrams(), stateToSave: takeStateToSave(),
               platformLines: takePlatformLines(), diagnostics: takeDiagnostics())
    }

    // MARK: The platforms

    /// Carries out a console line on the platform playing `profile` at `now`; nil when no such
    /// platform runs here. What it sends reaches the module after the embedded latency.
    public mutating func perform(_ command: PlatformCommand, on profile: PlatformProfile,
                                 now: Instant) -> PlatformReply? {
        let t = catchUp(to: now)
        guard let (reply, sent) = network.perform(command, on: profile, now: t) else { return nil }
        collectPlatformLines()
        enqueueForDevice(sent, now: t)
        _ = catchUp(to: t)
        return reply
    }

    /// Makes the platform playing `profile` forget its observation of `path` on `endpoint`
    /// without telling the module (a server that lost its state), so that the module's next
    /// notification for it is answered with RST. False when there is no such observation.
    public mutating func forgetObservation(of path: LwM2MPath, on endpoint: String, at profile: PlatformProfile,
                                           now: Instant) -> Bool {
        let t = catchUp(to: now)
        guard let (found, sent) = network.withPlatform(profile, { p -> (Bool, [Datagram]) in
            guard let id = p.server.management.observations(of: endpoint).first(where: { $0.1 == path })?.0 else {
                return (false, [])
            }
            return (true, p.forgetObservation(id, now: t))
        }) else { return false }
        collectPlatformLines()
        enqueueForDevice(sent, now: t)
        _ = catchUp(to: t)
        return found
    }

    /// A console line as typed (`read 1 /19/0/0`); a line that does not parse sends nothing and
    /// its reply says why. Nil when no platform plays `profile` here.
    public mutating func perform(line: String, on profile: PlatformProfile, now: Instant) -> PlatformReply? {
        guard network.address(of: profile) != nil else { return nil }
        do {
            return perform(try PlatformCommand(parsing: line), on: profile, now: now)
        } catch {
            return PlatformReply(lines: [error.description])
        }
    }
}

extension Emulator {
    /// What ``takeOutput()`` hands over: each of the separate `take...` results.
    public struct Output: Hashable, Sendable {
        public var atBytes: [UInt8]
        public var externalDatagrams: [Datagram]
        public var stateToSave: ModuleState?
        public var platformLines: [LogLine]
        public var diagnostics: [String]

        public var isEmpty: Bool {
            atBytes.isEmpty && externalDatagrams.isEmpty && stateToSave == nil && platformLines.isEmpty && diagnostics.isEmpty
        }
    }

    /// One line of an embedded platform's log, with the platform it came from.
    public struct LogLine: Hashable, Sendable, CustomStringConvertible {
        public var profile: PlatformProfile
        public var line: PlatformLine

        public init(profile: PlatformProfile, line: PlatformLine) {
            self.profile = profile
            self.line = line
        }

        /// `ct [    12.345] text`.
        public var description: String { "\(profile.name) \(line)" }
    }
}

// MARK: - Wiring

extension Emulator {
    /// Runs everything due by `now`, earliest first; returns the time to act at.
    private mutating func catchUp(to requested: Instant) -> Instant {
        now = max(now, requested)
        var steps = 0
        while let due = nextDeadline, due <= now {
            steps += 1
            guard steps <= Self.stepLimit else {
                diagnostics.append("emulator: more than \(Self.stepLimit) steps at \(now); the rest waits for the next call")
                break
            }
            if let arrival = inFlight.nextArrival, arrival <= due {
                guard let flight = inFlight.popFirst() else { break }
                deliver(flight, now: arrival)
            } else if let d = device.nextDeadline, d <= due {
                let datagrams = device.advance(to: d)
                var out = device.takeOutput()
                out.datagrams = datagrams + out.datagrams
                absorb(out, now: d)
            } else {
                enqueueForDevice(network.advance(to: due), now: due)
                collectPlatformLines()
            }
        }
        return now
    }

    /// Takes what the module produced: AT bytes, state, diagnostics kept; datagrams routed.
    private mutating func absorb(_ output: DeviceOutput, now: Instant) {
        atBytes += output.bytes
        if let state = output.stateToSave { stateToSave = state }
        diagnostics += output.diagnostics
        for datagram in output.datagrams { route(datagram, now: now) }
    }

    private mutating func route(_ datagram: Datagram, now: Instant) {
        switch network.route(datagram.peer) {
        case .external(let to):
            external.append(Datagram(datagram.bytes, peer: to))
        case .embedded:
            inFlight.add(.toPlatform(datagram), at: now + embeddedLatency)
        case .embeddedSecure(_, let platform):
            if trustsModuleKey, let credentials = device.session.credentials {
                network.provision(credentials, at: platform, now: now)
                collectPlatformLines()
            }
            inFlight.add(.toPlatform(datagram), at: now + embeddedLatency)
        }
    }

    private mutating func deliver(_ flight: EmulatorFlights.Flight, now: Instant) {
        switch flight {
        case .toDevice(let datagram):
            deliverToDevice(datagram, now: now)
        case .toPlatform(let datagram):
            switch network.send(datagram, from: address, now: now) {
            case .handled(let replies): enqueueForDevice(replies, now: now)
            case .external(let t): external.append(Datagram(t.bytes, peer: t.to))
            }
            collectPlatformLines()
        }
    }

    private mutating func deliverToDevice(_ datagram: Datagram, now: Instant) {
        let datagrams = device.receive(datagram, now: now)
        var out = device.takeOutput()
        out.datagrams = datagrams + out.datagrams
        absorb(out, now: now)
    }

    private mutating func enqueueForDevice(_ transmissions: [EmbeddedNetwork.Transmission], now: Instant) {
        for t in transmissions {
            guard t.to == address else {
                diagnostics.append("emulator: a platform sent \(t.bytes.count) bytes to \(t.to), not the module at \(address); dropped")
                continue
            }
            inFlight.add(.toDevice(t.received), at: now + embeddedLatency)
        }
    }

    /// Platform log lines are collected as they are made, so that lines of several platforms
    /// stay in time order however late the owner takes them.
    private mutating func collectPlatformLines() {
        platformLines += network.takeLines().map { LogLine(profile: $0.profile, line: $0.line) }
    }
}
