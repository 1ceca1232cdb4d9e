import ArgumentParser
import ATProtocol
import struct CoAP.Datagram
import struct CoAP.Instant
import protocol CoAP.DatagramNode
import struct CoAP.PeerAddress
import Foundation
import ModuleCore
import Platforms
import Runtime

/// `bc260 run FILE.at`: plays an AT script against the emulated module (virtual time, as fast
/// as possible) or against a module on a serial port (real time), printing the transcript.
/// Exit status: 0 when every expectation held, 1 when one did not (the line is named),
/// 2 when the script cannot be read.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an AT script (.at) against the emulated module or a module on a serial port.",
        discussion: """
        Script lines: `AT...` or `> text` sends; any other line (or `< text`) is expected; \
        `{name}` captures a field for later lines, `{=name}` must repeat it, `{_}` is any field, \
        `{...}` the rest of the line; `? line` is optional; `wait 30s for line` waits up to 30 s \
        (the default is 10 s, changed with `timeout 20s`); `wait 5s` pauses; `#` and ` //` start \
        comments; a trailing `\\` continues a line. Lines that arrive unexpected (URCs) are \
        skipped. See examples/README.md.
        """)

    @Argument(help: "The script.")
    var file: String

    @Option(help: "A serial device with a real module (or a bc260 serve --pty terminal); without it the emulated module runs in virtual time.")
    var port: String?

    @Option(help: "With --port: the line speed.")
    var baud: Int = 115_200

    @Option(help: "Without --port: milliseconds between the lines the emulated module sends.")
    var latency: Int64 = 5

    @Flag(help: "Also print which script line each received line met.")
    var verbose = false

    func validate() throws {
        guard latency >= 0 else { throw ValidationError("--latency: a number of milliseconds, 0 or more") }
        if port != nil { _ = try rate() }
    }

    func run() throws {
        let script: Script
        do {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            script = try ScriptParser.parse(text, file: (file as NSString).lastPathComponent)
        } catch let error as ScriptParseError {
            log("\(error)")
            throw ExitCode(2)
        } catch {
            log("cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let verdict: ScriptVerdict
        if let port {
            verdict = try SerialScriptRun(script: script, path: port, baudRate: rate(), verbose: verbose).run()
        } else {
            // The whole module (AT engine + LwM2M session) and the note's three platforms at their
            // note addresses, all in virtual time; other addresses are unreachable.
            let device = NetworkedModule(device: ModuleDevice())
            var run = VirtualScriptRun(script: script, device: device, farSide: EmbeddedPlatforms(),
                                       millisecondsPerLine: latency)
            let verbose = verbose
            verdict = run.run { entry in printEntry(entry, verbose: verbose) }
        }
        switch verdict {
        case .passed:
            printLine("PASS \(script.name): \(script.requiredExpectationCount) expected lines held")
        case .failed(let failure):
            printLine("FAIL \(failure)  \(TranscriptFormat.timestamp(failure.at))")
            throw ExitCode(1)
        }
    }

    private func rate() throws -> SerialPort.BaudRate {
        do {
            return try SerialPort.BaudRate(baud)
        } catch {
            throw ValidationError("--baud: \(baud) is not a rate this system supports")
        }
    }
}

private func printEntry(_ entry: TranscriptEntry, verbose: Bool) {
    // The verdict is printed once, by the command, with the script's name.
    switch entry.kind {
    case .passed, .failed: return
    default: break
    }
    if let line = TranscriptFormat.line(entry, verbose: verbose) { printLine(line) }
}

/// A script against a serial port in real time: the port's bytes are cut into lines for the
/// runner, its lines go out with `\r`, its deadlines ride the loop's timer.
final class SerialScriptRun {
    private let loop = EventLoop()
    private let port: SerialPort
    private var runner: ScriptRunner
    private var framer = LineFramer.moduleOutput()
    private var writer: DescriptorWriter?
    private var timer: (id: EventLoop.TimerID, at: Instant)?
    private let verbose: Bool

    init(script: Script, path: String, baudRate: SerialPort.BaudRate, verbose: Bool) throws {
        port = try SerialPort(path: path, configuration: SerialPort.Configuration(baudRate: baudRate))
        runner = ScriptRunner(script: script)
        self.verbose = verbose
    }

    func run() throws -> ScriptVerdict {
        defer { port.close() }
        unblockTerminationSignals()
        let writer = DescriptorWriter(fileDescriptor: port.fileDescriptor, loop: loop)
        self.writer = writer
        let signals = try SignalWatch(signals: [SIGINT, SIGTERM], loop: loop) { [unowned self] _ in
            self.apply(self.runner.abort("interrupted", now: self.loop.now))
        }
        defer { signals.cancel() }
        let watch = loop.watch(port.fileDescriptor) { [unowned self] readiness in self.readPort(readiness) }
        defer { loop.unwatch(watch) }
        apply(runner.start(now: loop.now))
        try loop.run(until: { self.runner.verdict != nil }, timeout: Int64(Int32.max))
        if runner.verdict == nil { apply(runner.abort("the run took too long", now: loop.now)) }
        writer.drain()
        return runner.verdict ?? .failed(ScriptFailure(location: SourceLocation(file: runner.script.name, line: 0),
                                                      reason: "no verdict", at: loop.now))
    }

    private func readPort(_ readiness: EventLoop.Readiness) {
        do {
            while let bytes = try port.read() {
                for line in framer.append(bytes) {
                    apply(runner.receive(line: line.text ?? "<unreadable line of \(line.raw.count) bytes>", now: loop.now))
                }
            }
            if let lost = port.lostCondition(for: readiness) { throw lost }
        } catch {
            apply(runner.abort("the serial port failed: \(error)", now: loop.now))
        }
    }

    private func apply(_ output: ScriptRunnerOutput) {
        for entry in output.entries { printEntry(entry, verbose: verbose) }
        if !output.lines.isEmpty { writer?.write(output.bytes) }
        if let timer { loop.cancel(timer.id) }
        timer = nil
        guard let next = runner.nextDeadline else { return }
        let id = loop.schedule(at: next) { [unowned self] in
            self.timer = nil
            self.apply(self.runner.advance(to: self.loop.now))
        }
        timer = (id, next)
    }
}

/// The note's platforms (``EmbeddedNetwork``) as the far side of a virtual run: the module's
/// datagrams reach the platform at their address at once, and what the platforms send comes
/// back addressed as the module expects. Datagrams for any other address are lost, as with no
/// route to the Internet.
struct EmbeddedPlatforms: DatagramNode {
    /// The module's address as the platforms see it: its PDP address.
    let moduleAddress = PeerAddress(host: ModuleIdentity().pdpAddress, port: 56_830)
    private(set) var network = EmbeddedNetwork()

    mutating func receive(_ datagram: Datagram, now: Instant) -> [Datagram] {
        switch network.send(datagram, from: moduleAddress, now: now) {
        case .handled(let transmissions): toModule(transmissions)
        case .external: []
        }
    }

    mutating func advance(to now: Instant) -> [Datagram] { toModule(network.advance(to: now)) }

    var nextDeadline: Instant? { network.nextDeadline }

    private func toModule(_ transmissions: [EmbeddedNetwork.Transmission]) -> [Datagram] {
        transmissions.filter { $0.to == moduleAddress }.map(\.received)
    }
}
