import ArgumentParser
import ATProtocol
import struct CoAP.Instant
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

    @OptionGroup(title: "The emulated module (without --port; --state: start from the state saved there, save the state the script leaves)")
    var emulator: EmulatorOptions

    @Flag(help: "Also print which script line each received line met.")
    var verbose = false

    func validate() throws {
        guard latency >= 0 else { throw ValidationError("--latency: a number of milliseconds, 0 or more") }
        if port != nil {
            _ = try rate()
            if emulator.anyGiven { throw ValidationError("--imei, --imsi, --state and --remap are for the emulated module, not with --port") }
        }
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
            verdict = try runEmulated(script)
        }
        switch verdict {
        case .passed:
            printLine("PASS \(script.name): \(script.requiredExpectationCount) expected lines held")
        case .failed(let failure):
            printLine("FAIL \(failure)  \(TranscriptFormat.timestamp(failure.at))")
            throw ExitCode(1)
        }
    }

    /// The emulator (the module on its LwM2M session and the note's three platforms at their
    /// note addresses) in virtual time; datagrams for any other address are lost.
    private func runEmulated(_ script: Script) throws -> ScriptVerdict {
        let store = emulator.store()
        let configuration = try emulator.configuration(savedState: store?.loadLogging() ?? .defaults)
        var run = VirtualScriptRun(script: script, device: EmulatorATDevice(Emulator(configuration: configuration)),
                                   millisecondsPerLine: latency)
        let verbose = verbose
        let verdict = run.run { entry in printEntry(entry, verbose: verbose) }
        if let store, let state = run.savedState {
            do { try store.save(state) } catch { log("cannot save the module state to \(store.path): \(error)") }
        }
        return verdict
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
