import CoAP
import ModuleCore

/// An ``Emulator`` (the module with the note's platforms in-process) as an `ATDevice`, for the
/// script runner (`bc260 run`): `VirtualScriptRun(script:device: EmulatorATDevice(),
/// millisecondsPerLine:)` plays a script against the module and the embedded platforms in
/// virtual time, with nothing on the far side (`Unplugged`) unless the run has a real network.
/// (In real time, `bc260 serve` hosts the emulator with ``EmulatorHost``.)
///
/// Contract: each call returns the emulator's AT bytes, its datagrams for real servers, its
/// state to save and diagnostics, as `ATDeviceOutput`. A datagram from the network
/// (`receive(datagram:now:)`) is ``Emulator/receiveExternal(_:now:)``. The embedded platforms'
/// log lines, which `ATDeviceOutput` has no place for, are kept in ``platformLines`` (the last
/// ``platformLineCapacity``) for an owner that shows them.
public struct EmulatorATDevice: ATDevice, Sendable {
    public private(set) var emulator: Emulator
    public private(set) var platformLines: [Emulator.LogLine] = []
    public var platformLineCapacity = 5_000

    public init(_ emulator: Emulator = Emulator()) {
        self.emulator = emulator
    }

    public mutating func powerOn(now: Instant) -> ATDeviceOutput {
        output(taken: emulator.powerOn(now: now))
    }

    public mutating func receive(bytes: [UInt8], now: Instant) -> ATDeviceOutput {
        output(taken: emulator.receive(atBytes: bytes, now: now))
    }

    public mutating func receive(datagram: Datagram, now: Instant) -> ATDeviceOutput {
        emulator.receiveExternal(datagram, now: now)
        return output(taken: [])
    }

    public mutating func advance(to now: Instant) -> ATDeviceOutput {
        emulator.advance(to: now)
        return output(taken: [])
    }

    public var nextDeadline: Instant? { emulator.nextDeadline }

    /// Runs work on the emulator (a platform command, say); what it produced comes out of the
    /// next call, or of ``takeOutput()``.
    public mutating func withEmulator<Result>(_ work: (inout Emulator) -> Result) -> Result {
        work(&emulator)
    }

    /// What the emulator produced outside the device calls.
    public mutating func takeOutput() -> ATDeviceOutput { output(taken: []) }

    private mutating func output(taken: [UInt8]) -> ATDeviceOutput {
        let out = emulator.takeOutput()
        platformLines += out.platformLines
        if platformLines.count > platformLineCapacity {
            platformLines.removeFirst(platformLines.count - max(0, platformLineCapacity))
        }
        return ATDeviceOutput(bytes: taken + out.atBytes, datagrams: out.externalDatagrams,
                              stateToSave: out.stateToSave, diagnostics: out.diagnostics)
    }
}
