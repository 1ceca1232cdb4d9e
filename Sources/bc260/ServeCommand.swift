import ArgumentParser
import struct CoAP.Instant
import ModuleCore
import Platforms
import Runtime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `bc260 serve`: the emulated BC260Y-CN's AT interface for other programs, on stdin/stdout or
/// on a pseudo-terminal, in real time (an ``EmulatorHost``: the embedded platforms in-process,
/// real servers over UDP).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the emulated module's AT interface on stdin/stdout or on a pseudo-terminal.",
        discussion: """
        The module talks LwM2M to the note's three platforms, embedded at their note addresses \
        (CT IoT 180.101.147.115:5683, CT AEP 221.229.214.202:5683, Andlink lwm.home.komect.com:5683), \
        and to any other address over UDP (a real LwM2M server; --remap bends addresses). \
        --stdio: AT lines on stdin, responses and URCs on stdout (URCs come whenever they happen); \
        the power-up banner comes first; end of input ends the module. --pty: prints the \
        terminal's path (/dev/pts/N) on stdout, then serves whoever opens it (minicom, pyserial, \
        bc260 run --port) until SIGINT or SIGTERM. The saved state (AT+QLACONFIG, AT+QLACFG, \
        custom objects) lives in --state (default: $XDG_STATE_HOME/bc260 or ~/.local/state/bc260) \
        and survives restarts.
        """)

    @Flag(help: "Serve on stdin and stdout.")
    var stdio = false

    @Flag(help: "Serve on a new pseudo-terminal; its path is printed on stdout.")
    var pty = false

    @Option(help: "With --pty: also make a symlink at this path pointing at the terminal.")
    var link: String?

    @Option(help: "Milliseconds between the lines the module sends (0: answer at once).")
    var latency: Int64 = 5

    @OptionGroup(title: "The emulated module")
    var emulator: EmulatorOptions

    @Flag(help: "Also log on stderr why lines were answered ERROR and the platforms' log (problems such as a server name that does not resolve are logged always).")
    var verbose = false

    func validate() throws {
        guard stdio != pty else { throw ValidationError("choose one of --stdio and --pty") }
        if link != nil, !pty { throw ValidationError("--link goes with --pty") }
        guard latency >= 0 else { throw ValidationError("--latency: a number of milliseconds, 0 or more") }
    }

    func run() throws {
        let store = emulator.store(fallback: ModuleStateStore.defaultDirectory())
        if store == nil { log("no state directory (set --state, HOME or XDG_STATE_HOME): the configuration is not saved") }
        let configuration = try emulator.configuration(savedState: store?.loadLogging() ?? .defaults)
        signal(SIGPIPE, SIG_IGN)
        unblockTerminationSignals()
        let loop = EventLoop()
        let host = try EmulatorHost(emulator: Emulator(configuration: configuration), loop: loop, stateStore: store)
        defer { host.close() }
        // Problems the module cannot report (a name that does not resolve, the socket, a save)
        // always reach stderr; the details behind an ERROR and the platforms' log need --verbose.
        // Never stdout: programs parse the module's stream there.
        host.onProblem = { log($0) }
        if verbose {
            host.onDiagnostic = { log($0) }
            host.onPlatformLines = { lines in lines.forEach { log("\($0)") } }
        }
        let watch = try SignalWatch(signals: [SIGINT, SIGTERM], loop: loop) { _ in loop.stop() }
        defer { watch.cancel() }
        if stdio {
            try serveStdio(host, loop: loop)
        } else {
            try servePty(host, loop: loop)
        }
    }

    private func serveStdio(_ host: EmulatorHost, loop: EventLoop) throws {
        let stdout = DescriptorWriter(fileDescriptor: 1, loop: loop)
        let paced = PacedOutput(millisecondsPerLine: latency, loop: loop) { bytes in
            stdout.write(bytes)
            if stdout.closed { loop.stop() }   // nobody reads the answers any more
        }
        host.onATOutput = { paced.send($0) }
        log("emulated BC260Y-CN on stdin/stdout")
        host.powerOn()
        let input = loop.watch(0) { _ in
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 {
                host.receive(atBytes: Array(buffer[0..<count]))
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                loop.stop()
            }
        }
        try loop.run()
        loop.unwatch(input)
        paced.flush()
        stdout.drain()
    }

    private func servePty(_ host: EmulatorHost, loop: EventLoop) throws {
        let terminal = try PseudoTerminal(linkPath: link)
        defer { terminal.close() }
        let writer = DescriptorWriter(fileDescriptor: terminal.fileDescriptor, loop: loop)
        let paced = PacedOutput(millisecondsPerLine: latency, loop: loop) { writer.write($0) }
        host.onATOutput = { paced.send($0) }
        // The path first and alone on its line: scripts and tests read it.
        printLine(terminal.slavePath)
        log("emulated BC260Y-CN on \(terminal.slavePath)" + (link.map { " (link \($0))" } ?? ""))
        terminal.watch(on: loop, onBytes: { host.receive(atBytes: $0) }, onFailure: { log("pty: \($0)") })
        host.powerOn()
        try loop.run()
        paced.flush()
        writer.drain()
    }
}

/// The module's AT output at the pace a module answers (``ResponsePacing``), on the loop's
/// timer: each line leaves `millisecondsPerLine` after the previous one.
final class PacedOutput {
    private var pacing: ResponsePacing
    private let loop: EventLoop
    private let write: ([UInt8]) -> Void
    private var timer: (id: EventLoop.TimerID, at: Instant)?

    init(millisecondsPerLine: Int64, loop: EventLoop, write: @escaping ([UInt8]) -> Void) {
        pacing = ResponsePacing(millisecondsPerLine: millisecondsPerLine)
        self.loop = loop
        self.write = write
    }

    func send(_ bytes: [UInt8]) {
        pacing.schedule(bytes, now: loop.now)
        release()
    }

    /// Writes everything still waiting at once (the link is closing).
    func flush() {
        if let timer { loop.cancel(timer.id) }
        timer = nil
        let rest = pacing.flush()
        if !rest.isEmpty { write(rest) }
    }

    private func release() {
        let due = pacing.due(at: loop.now)
        if !due.isEmpty { write(due) }
        let next = pacing.nextDeadline
        if let timer, timer.at == next { return }
        if let timer { loop.cancel(timer.id) }
        timer = nil
        guard let next else { return }
        let id = loop.schedule(at: next) { [unowned self] in
            self.timer = nil
            self.release()
        }
        timer = (id, next)
    }
}

/// Writes to a non-blocking-friendly descriptor (stdout, a pty master): what the kernel does
/// not take now waits and is retried from the loop, so a slow reader never blocks the module.
/// At most `limit` bytes wait; beyond that the oldest are dropped, as a UART overruns.
final class DescriptorWriter {
    let fileDescriptor: Int32
    private let loop: EventLoop
    private var queue: [UInt8] = []
    private var retry: EventLoop.TimerID?
    private let limit = 64 * 1024
    private(set) var closed = false

    init(fileDescriptor: Int32, loop: EventLoop) {
        self.fileDescriptor = fileDescriptor
        self.loop = loop
    }

    func write(_ bytes: [UInt8]) {
        guard !closed else { return }
        queue += bytes
        if queue.count > limit {
            log("output overrun: \(queue.count - limit) bytes dropped (nobody is reading)")
            queue.removeFirst(queue.count - limit)
        }
        flush()
    }

    /// Writes what waits, blocking briefly if needed (the process is about to end).
    func drain() {
        var attempts = 0
        while !queue.isEmpty, !closed, attempts < 200 {
            flush()
            if !queue.isEmpty { usleep(5_000) }
            attempts += 1
        }
    }

    private func flush() {
        while !queue.isEmpty {
            let count = queue.withUnsafeBytes { Glibc.write(fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                queue.removeFirst(count)
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK {
                // The reader went away (EPIPE) or the descriptor broke: nothing more can go.
                closed = true
                queue.removeAll()
                return
            }
            break
        }
        if !queue.isEmpty, retry == nil {
            retry = loop.schedule(after: 10) { [unowned self] in
                self.retry = nil
                self.flush()
            }
        }
    }
}

/// One line on stderr, prefixed with the program's name.
func log(_ message: String) {
    writeAll(2, Array(("bc260: " + message + "\n").utf8))
}

/// One line on stdout, unbuffered (a test or a script reads it at once).
func printLine(_ line: String) {
    writeAll(1, Array((line + "\n").utf8))
}

private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return }
        offset += count
    }
}

/// A parent (a test runner, a shell) may have blocked or ignored SIGINT and SIGTERM; the serve
/// loop relies on seeing them to save and leave cleanly.
func unblockTerminationSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

extension Character {
    var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}
