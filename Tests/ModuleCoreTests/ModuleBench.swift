import ATProtocol
import CoAP
import LwM2M
@testable import ModuleCore

/// A module on a bench, in virtual time: type lines, inject session events, move the clock.
/// Every call returns the response lines it produced (framing removed; the echo, when on, is a
/// line of its own).
struct ModuleBench {
    var module: EmulatedModule
    var now = Instant.zero
    var session = FakeSession()
    /// The last state the engine asked to save.
    var savedState: ModuleState?
    var saveCount = 0
    var diagnostics: [String] = []
    /// Everything the module sent, as bytes.
    var transcript: [UInt8] = []

    /// Powers on at t=0. By default echo is switched off and sleep forbidden (as every example
    /// of the note starts), so the tests read only answers.
    init(identity: ModuleIdentity = ModuleIdentity(), timing: ModuleTiming = ModuleTiming(),
         state: ModuleState = .defaults, quiet: Bool = true) {
        module = EmulatedModule(identity: identity, timing: timing, savedState: state)
        _ = take(module.powerOn(now: now))
        if quiet {
            _ = type("ATE0")
            _ = type("AT+QSCLK=0")
        }
    }

    mutating func take(_ output: ModuleOutput) -> [String] {
        transcript += output.bytes
        session.record(output.sessionRequests)
        if let state = output.stateToSave {
            savedState = state
            saveCount += 1
        }
        diagnostics += output.diagnostics
        return Self.lines(output.bytes)
    }

    /// Sends `line` and CR.
    @discardableResult
    mutating func type(_ line: String) -> [String] {
        take(module.receive(bytes: Array((line + "\r").utf8), now: now))
    }

    @discardableResult
    mutating func send(bytes: [UInt8]) -> [String] { take(module.receive(bytes: bytes, now: now)) }

    @discardableResult
    mutating func event(_ event: SessionEvent) -> [String] { take(module.handle(event, now: now)) }

    /// Moves the clock to `milliseconds` and runs the timers.
    @discardableResult
    mutating func advance(toMilliseconds milliseconds: Int64) -> [String] {
        now = Instant(milliseconds: milliseconds)
        return take(module.advance(to: now))
    }

    @discardableResult
    mutating func advance(bySeconds seconds: Double) -> [String] {
        advance(toMilliseconds: now.milliseconds + Int64(seconds * 1000))
    }

    /// Cuts `\r\n`-framed output into lines, as a console does.
    static func lines(_ bytes: [UInt8]) -> [String] {
        var framer = LineFramer.moduleOutput()
        return framer.append(bytes).compactMap(\.text)
    }

    // MARK: Common set-ups

    /// AT+QLACONFIG with the CT IoT example's server (lifetime `lifetime`).
    mutating func configure(lifetime: Int64 = 300) {
        let lines = type("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",\(lifetime),3")
        precondition(lines == ["OK"], "configure: \(lines)")
    }

    /// Configures, registers and answers the register with success; returns the register id.
    @discardableResult
    mutating func register(lifetime: Int64 = 300) -> SessionRequestID {
        configure(lifetime: lifetime)
        _ = type("AT+QLAREG")
        guard let id = session.lastRegister?.id else { preconditionFailure("no register request") }
        _ = event(.outcome(id, .completed(.success)))
        return id
    }

    /// Registers, announces an observe on `path` and answers it with 2.05.
    mutating func observe(_ path: LwM2MPath, messageID: UInt16 = 23618) {
        _ = event(.serverRequest(.observe(messageID: messageID, path: path, cancel: false)))
        let (o, i, r) = (path.objectID ?? 0, path.instanceID ?? 0, path.resourceID ?? 0)
        _ = type("AT+QLAOBSRSP=\(messageID),1,\(o),\(i),\(r),2,9,\"020001000400023238\",0")
        guard let id = session.lastRespond?.id else { preconditionFailure("no respond request") }
        _ = event(.outcome(id, .completed(.success)))
    }

    var status: LwM2MStatus { module.status }
}
