import ATProtocol
import CoAP

/// A script played against a device in virtual time, as fast as the machine goes: the clock
/// jumps from one deadline to the next (the script's, the device's, the pacing's, the far
/// side's), so a 126 s registration timeout takes microseconds.
///
/// Contract: the device is powered on at t=0 and its whole banner reaches the script before the
/// first step. At one instant the device, the network and the pacing go first, then the script's own
/// deadline. A line the script sends reaches the device at once; the device's answer reaches
/// the script after the pacing. Datagrams the device sends go to `farSide` (the platforms) with
/// no delay, and what it answers goes back to the device. The run ends with the verdict; a run
/// that keeps going without the clock moving is stopped after `stepLimit` steps and fails.
public struct VirtualScriptRun<Device: ATDevice, FarSide: DatagramNode> {
    public private(set) var runner: ScriptRunner
    public private(set) var device: Device
    public private(set) var farSide: FarSide
    public private(set) var pacing: ResponsePacing
    public private(set) var now = Instant.zero
    /// The last state the device asked to save (the run keeps it in memory).
    public private(set) var savedState: ModuleState?
    public private(set) var diagnostics: [String] = []
    public var stepLimit = 1_000_000

    private var framer = LineFramer.moduleOutput()
    private var onEntry: (TranscriptEntry) -> Void = { _ in }

    public init(script: Script, device: Device, farSide: FarSide, millisecondsPerLine: Int64 = 0) {
        runner = ScriptRunner(script: script)
        self.device = device
        self.farSide = farSide
        pacing = ResponsePacing(millisecondsPerLine: millisecondsPerLine)
    }

    /// Runs to the verdict; `onEntry` sees each transcript entry as it is made.
    public mutating func run(onEntry: @escaping (TranscriptEntry) -> Void = { _ in }) -> ScriptVerdict {
        self.onEntry = onEntry
        defer { self.onEntry = { _ in } }
        take(device.powerOn(now: now))
        deliverDueLines()
        // The banner leaves at the pacing's speed; the script starts once it is out, as a
        // terminal program waits for RDY.
        while let at = pacing.nextDeadline {
            now = at
            take(device.advance(to: now))
            deliverDueLines()
        }
        let first = runner.start(now: now)
        report(first)
        send(first.lines)
        var steps = 0
        while runner.verdict == nil {
            steps += 1
            guard steps <= stepLimit else {
                report(runner.abort("the run did not settle after \(stepLimit) steps at \(now)", now: now))
                break
            }
            let next = [device.nextDeadline, pacing.nextDeadline, farSide.nextDeadline, runner.nextDeadline].compactMap { $0 }.min()
            guard let next else {
                report(runner.abort("nothing is left to happen", now: now))
                break
            }
            now = max(now, next)
            take(device.advance(to: now))
            if let at = farSide.nextDeadline, at <= now { toDevice(farSide.advance(to: now)) }
            deliverDueLines()
            let output = runner.advance(to: now)
            report(output)
            send(output.lines)
        }
        return runner.verdict ?? .failed(ScriptFailure(location: SourceLocation(file: runner.script.name, line: 0),
                                                      reason: "no verdict", at: now))
    }

    // MARK: Plumbing

    private mutating func send(_ lines: [String]) {
        for line in lines {
            take(device.receive(bytes: Array(line.utf8) + [0x0D], now: now))
            deliverDueLines()
        }
    }

    private mutating func take(_ output: ATDeviceOutput) {
        if let state = output.stateToSave { savedState = state }
        diagnostics += output.diagnostics
        pacing.schedule(output.bytes, now: now)
        var queue = output.datagrams
        while !queue.isEmpty {
            let datagram = queue.removeFirst()
            for answer in farSide.receive(datagram, now: now) {
                let output = device.receive(datagram: answer, now: now)
                if let state = output.stateToSave { savedState = state }
                diagnostics += output.diagnostics
                pacing.schedule(output.bytes, now: now)
                queue += output.datagrams
            }
        }
    }

    private mutating func toDevice(_ datagrams: [Datagram]) {
        for datagram in datagrams { take(device.receive(datagram: datagram, now: now)) }
    }

    /// Hands every line the pacing lets out by now to the script, sending what it answers.
    private mutating func deliverDueLines() {
        var bytes = pacing.due(at: now)
        while !bytes.isEmpty {
            for line in framer.append(bytes) {
                let output = runner.receive(line: line.text ?? Self.describe(line), now: now)
                report(output)
                for text in output.lines { take(device.receive(bytes: Array(text.utf8) + [0x0D], now: now)) }
            }
            bytes = pacing.due(at: now)
        }
    }

    private func report(_ output: ScriptRunnerOutput) {
        for entry in output.entries { onEntry(entry) }
    }

    static func describe(_ line: FramedLine) -> String {
        switch line.content {
        case .text(let text): text
        case .tooLong(let count): "<line of \(count) bytes, too long>"
        case .invalid(let reason): "<unreadable line: \(reason)>"
        }
    }
}

/// A far side with nothing on it: every datagram is lost.
public struct Unplugged: DatagramNode, Sendable {
    public init() {}
    public mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] { [] }
    public mutating func advance(to now: Instant) -> [Datagram] { [] }
    public var nextDeadline: Instant? { nil }
}

extension VirtualScriptRun where FarSide == Unplugged {
    public init(script: Script, device: Device, millisecondsPerLine: Int64 = 0) {
        self.init(script: script, device: device, farSide: Unplugged(), millisecondsPerLine: millisecondsPerLine)
    }
}
