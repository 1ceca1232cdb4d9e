import ATProtocol
import CoAP
import LwM2M

/// The emulated BC260Y-CN's AT engine: a sans-I/O state machine.
///
/// Contract:
/// - Bytes from the terminal go in through ``receive(bytes:now:)``; what the module sends back
///   (echo with ATE1, `\r\n`-framed responses and URCs) comes out in ``ModuleOutput/bytes``.
/// - Time moves only through the `now` arguments. ``nextDeadline`` says when the engine wants
///   ``advance(to:)`` (deep sleep, automatic update, lifetime expiry, restart); every entry
///   point first catches up on deadlines that passed, so a late call loses nothing.
/// - The LwM2M network session is outside: the engine issues ``SessionRequest``s (in
///   ``ModuleOutput/sessionRequests``) and consumes ``SessionEvent``s through
///   ``handle(_:now:)``. Parameters and state are checked here, before anything reaches the session.
/// - A malformed line, a parameter failure or a wrong state answers `ERROR` and changes nothing;
///   the reason goes to ``ModuleOutput/diagnostics``.
/// - The saved part of the state (``ModuleState``) is handed out in ``ModuleOutput/stateToSave``
///   whenever it changes; the engine never touches a file.
///
/// Wiring (the serve layer): load the state with ``ModuleStateStore/load()``, build the engine,
/// call ``powerOn(now:)``. For every output: write `bytes` to the link (adding any response
/// latency there), give each of `sessionRequests` to the LwM2M session in order, save
/// `stateToSave` with ``ModuleStateStore/save(_:)``. Feed what the session reports back through
/// ``handle(_:now:)``, and call ``advance(to:)`` when ``nextDeadline`` (or the session's own
/// deadline) comes.
public struct EmulatedModule: Sendable {
    public enum Power: Hashable, Sendable {
        case off
        case on
        /// AT+QRST=1: the banner comes at `until`; input is ignored meanwhile.
        case restarting(until: Instant)
        case asleep
    }

    public let identity: ModuleIdentity
    public let timing: ModuleTiming
    public internal(set) var power: Power = .off
    /// `AT+QLASTATUS?`.
    public internal(set) var status: LwM2MStatus = .unregistered
    public internal(set) var saved: ModuleState
    /// What AT+QLACONFIG configured (after power-up: the saved working server, if any).
    public internal(set) var configuredServer: ConfiguredServer?
    public internal(set) var echo = true
    public internal(set) var sleepAllowed: Bool
    /// Paths the server observes (answered with 2.05): AT+QLANOTIFY works on these and below.
    public internal(set) var observations: Set<LwM2MPath> = []

    var functionality: Int64 = 1
    var ceregMode: Int64 = 0
    var framer = LineFramer.commandInput()
    var registration: RegistrationClock?
    var nextRequestNumber: UInt32 = 1
    var outstanding: [SessionRequestID: OutstandingRequest] = [:]
    var pendingServerRequests: [UInt16: PendingServerRequest] = [:]
    var notifyAssembly: NotifyAssembly?
    var lastActivity = Instant.zero
    /// Set while asleep when a registration was up as the module fell asleep.
    var sleptRegistered = false
    /// Lines typed since the module woke, waiting for the session's recovery to be reported
    /// (at most ``recoveryQueueLimit``).
    var linesAwaitingRecovery: [FramedLine] = []
    /// When a resume not yet reported is given up (see ``recoveryAllowanceMilliseconds``).
    var recoveryDeadline: Instant?
    var out = ModuleOutput()

    public init(identity: ModuleIdentity = ModuleIdentity(), timing: ModuleTiming = ModuleTiming(),
                savedState: ModuleState = .defaults) {
        self.identity = identity
        self.timing = timing
        self.saved = savedState
        self.sleepAllowed = timing.sleepAllowedAtPowerUp
        self.configuredServer = savedState.workingServer.map(ConfiguredServer.working)
    }

    // MARK: Entry points

    /// Powers the module on: `RDY`, `+CFUN: 1`, `+CPIN: READY`. Does nothing when already on.
    public mutating func powerOn(now: Instant) -> ModuleOutput {
        out = ModuleOutput()
        if power == .off { boot(now: now) }
        return takeOutput()
    }

    /// Bytes typed on the AT link.
    public mutating func receive(bytes: [UInt8], now: Instant) -> ModuleOutput {
        out = ModuleOutput()
        catchUp(to: now)
        switch power {
        case .off, .restarting:
            if !bytes.isEmpty { out.diagnostics.append("input ignored: the module is \(power == .off ? "off" : "restarting")") }
            return takeOutput()
        case .on, .asleep:
            break
        }
        for line in framer.append(bytes) {
            // AT+QRST=1 earlier in the same bytes: the rest arrives at a restarting module.
            if case .restarting = power { break }
            if power == .asleep { wake(now: now) }
            answer(line, now: now)
        }
        return takeOutput()
    }

    /// Echoes and runs a line, in turn: while the session is recovering after deep sleep, the
    /// line that woke the module and any after it wait, echo included, until `"recovered"` is
    /// out (note 4.2.2: `EXIT DEEPSLEEP`, `"recovered",0`, then `AT+QSCLK=0` and its `OK`).
    mutating func answer(_ line: FramedLine, now: Instant) {
        if isRecovering || !linesAwaitingRecovery.isEmpty {
            // A busy module refuses what it cannot hold: ERROR at once, unechoed (the lines
            // before it are not echoed yet either).
            guard linesAwaitingRecovery.count < Self.recoveryQueueLimit else {
                return reject("line refused: \(Self.recoveryQueueLimit) lines already wait for the session's recovery")
            }
            linesAwaitingRecovery.append(line)
            return
        }
        lastActivity = now
        if echo { out.bytes += line.echo }
        execute(line, now: now)
    }

    /// The lines that waited for the recovery, now it is reported.
    mutating func answerLinesAwaitingRecovery(now: Instant) {
        let lines = linesAwaitingRecovery
        linesAwaitingRecovery = []
        for line in lines {
            if case .restarting = power { break }
            answer(line, now: now)
        }
    }

    var isRecovering: Bool { outstanding.values.contains(.resume) }

    /// How many typed lines wait for a recovery; more are answered ERROR.
    static let recoveryQueueLimit = 16

    /// Runs the timers that are due at `now`.
    public mutating func advance(to now: Instant) -> ModuleOutput {
        out = ModuleOutput()
        catchUp(to: now)
        return takeOutput()
    }

    /// A report from the LwM2M session.
    public mutating func handle(_ event: SessionEvent, now: Instant) -> ModuleOutput {
        out = ModuleOutput()
        catchUp(to: now)
        guard power == .on else {
            out.diagnostics.append("session event ignored while the module is \(power): \(event)")
            return takeOutput()
        }
        lastActivity = now
        apply(event, now: now)
        return takeOutput()
    }

    /// When ``advance(to:)`` next has something to do; nil when nothing is scheduled.
    public var nextDeadline: Instant? { nextTimer?.at }

    // MARK: Timers

    enum Timer: Hashable {
        case restartComplete, lifetimeExpired, automaticUpdate, deepSleep, recoveryOverdue
    }

    var nextTimer: (at: Instant, timer: Timer)? {
        switch power {
        case .off, .asleep: return nil
        case .restarting(let until): return (until, .restartComplete)
        case .on: break
        }
        var candidates: [(at: Instant, timer: Timer)] = []
        if isRecovering, let recoveryDeadline { candidates.append((recoveryDeadline, .recoveryOverdue)) }
        if status == .registered, let registration, !updateInFlight {
            if saved.options.lifetimeEnable, !registration.automaticUpdateTried { candidates.append((registration.automaticUpdateAt, .automaticUpdate)) }
            candidates.append((registration.expiresAt, .lifetimeExpired))
        }
        if sleepAllowed, isIdle { candidates.append((lastActivity + timing.deepSleepIdleMilliseconds, .deepSleep)) }
        // Earliest first; on a tie, the order above (an update due keeps the module awake).
        return candidates.enumerated().min { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }?.element
    }

    mutating func catchUp(to now: Instant) {
        var guardCount = 0
        while let (at, timer) = nextTimer, at <= now, guardCount < 10_000 {
            guardCount += 1
            fire(timer, at: at)
        }
    }

    mutating func fire(_ timer: Timer, at time: Instant) {
        switch timer {
        case .restartComplete: boot(now: time)
        case .automaticUpdate:
            lastActivity = time
            registration?.automaticUpdateTried = true
            issue(.update(lifetime: nil, binding: nil, rai: .none), as: .update(.automatic))
        case .lifetimeExpired:
            status = .invalid
            out.diagnostics.append("the registration's lifetime ran out without a successful update: status 5")
        case .deepSleep: enterDeepSleep()
        case .recoveryOverdue: giveUpRecovery(now: time)
        }
    }

    /// Nothing in flight either way: no exchange, no server request awaiting the TE, no
    /// half-sent multi-part value, no registration step under way.
    var isIdle: Bool {
        outstanding.isEmpty && pendingServerRequests.isEmpty && notifyAssembly == nil
            && ![.registering, .deregistering, .recoveringSession, .sessionNeedsRecovery].contains(status)
    }

    var updateInFlight: Bool {
        outstanding.values.contains {
            if case .update = $0 { return true }
            if case .resume = $0 { return true }
            return false
        }
    }

    // MARK: Power

    mutating func boot(now: Instant) {
        power = .on
        status = .unregistered
        echo = true
        sleepAllowed = timing.sleepAllowedAtPowerUp
        functionality = 1
        ceregMode = 0
        framer.reset()
        registration = nil
        outstanding = [:]
        pendingServerRequests = [:]
        observations = []
        notifyAssembly = nil
        sleptRegistered = false
        linesAwaitingRecovery = []
        recoveryDeadline = nil
        configuredServer = saved.workingServer.map(ConfiguredServer.working)
        lastActivity = now
        emit(.text("RDY"))
        emit(.information("CFUN", .integer(1)))
        emit(.information("CPIN", .token("READY")))
    }

    // MARK: Output helpers

    mutating func takeOutput() -> ModuleOutput {
        let result = out
        out = ModuleOutput()
        return result
    }

    mutating func emit(_ line: ATResponseLine) { line.appendFramed(to: &out.bytes) }

    mutating func emit(_ urc: URC) { emit(urc.line) }

    /// Lines of one information response: `\r\n` before the first and after the last, and
    /// only `\r\n` between them (no blank line).
    mutating func emitBlock(_ lines: [String]) {
        out.bytes += "\r\n".utf8
        for line in lines { out.bytes += line.utf8; out.bytes += "\r\n".utf8 }
    }

    /// `ERROR`, with the reason kept for a log pane.
    mutating func reject(_ reason: String) {
        emit(.error)
        out.diagnostics.append(reason)
    }

    mutating func save() { out.stateToSave = saved }

    @discardableResult
    mutating func issue(_ action: SessionAction, as kind: OutstandingRequest?) -> SessionRequestID {
        let id = SessionRequestID(nextRequestNumber)
        nextRequestNumber &+= 1
        if let kind { outstanding[id] = kind }
        out.sessionRequests.append(SessionRequest(id: id, action: action))
        return id
    }
}
