import ArgumentParser
import struct CoAP.Datagram
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
/// on a pseudo-terminal, in real time.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the emulated module's AT interface on stdin/stdout or on a pseudo-terminal.",
        discussion: """
        The module talks LwM2M to the note's three platforms, embedded at their note addresses \
        (CT IoT 180.101.147.115:5683, CT AEP 221.229.214.202:5683, Andlink lwm.home.komect.com:5683). \
        --stdio: AT lines on stdin, responses and URCs on stdout (URCs come whenever they happen); \
        the power-up banner comes first; end of input ends the module. --pty: prints the \
        terminal's path (/dev/pts/N) on stdout, then serves whoever opens it (minicom, pyserial, \
        bc260 run --port) until SIGINT or SIGTERM. The saved state (AT+QLACONFIG, AT+QLACFG, \
        custom objects) lives in --state and survives restarts.
        """)

    @Flag(help: "Serve on stdin and stdout.")
    var stdio = false

    @Flag(help: "Serve on a new pseudo-terminal; its path is printed on stdout.")
    var pty = false

    @Option(help: "With --pty: also make a symlink at this path pointing at the terminal.")
    var link: String?

    @Option(help: "Milliseconds between the lines the module sends (0: answer at once).")
    var latency: Int64 = 5

    @Option(help: "Directory of the saved module state (default: $XDG_STATE_HOME/bc260 or ~/.local/state/bc260).")
    var state: String?

    @Option(help: "The module's IMEI (15 digits).")
    var imei: String?

    @Option(help: "The SIM's IMSI (up to 15 digits).")
    var imsi: String?

    @Flag(help: "Log on stderr why lines were answered ERROR, and other diagnostics.")
    var verbose = false

    func validate() throws {
        guard stdio != pty else { throw ValidationError("choose one of --stdio and --pty") }
        if link != nil, !pty { throw ValidationError("--link goes with --pty") }
        guard latency >= 0 else { throw ValidationError("--latency: a number of milliseconds, 0 or more") }
        if let imei, imei.count != 15 || !imei.allSatisfy(\.isASCIIDigit) {
            throw ValidationError("--imei: 15 digits, not '\(imei)'")
        }
        if let imsi, imsi.isEmpty || imsi.count > 15 || !imsi.allSatisfy(\.isASCIIDigit) {
            throw ValidationError("--imsi: up to 15 digits, not '\(imsi)'")
        }
    }

    func run() throws {
        let defaults = ModuleIdentity()
        let identity = ModuleIdentity(imei: imei ?? defaults.imei, imsi: imsi ?? defaults.imsi)
        let store = (state ?? ModuleStateStore.defaultDirectory()).map { ModuleStateStore(directory: $0) }
        var savedState = ModuleState.defaults
        if let store {
            let loaded = store.load()
            savedState = loaded.state
            if let note = loaded.note { log(note) }
        } else {
            log("no state directory (set --state, HOME or XDG_STATE_HOME): the configuration is not saved")
        }
        // The whole module (AT engine + LwM2M session); its datagrams reach the note's three
        // platforms, embedded at their note addresses.
        let device = NetworkedModule(device: ModuleDevice(module: EmulatedModule(identity: identity, savedState: savedState)))
        signal(SIGPIPE, SIG_IGN)
        unblockTerminationSignals()
        let loop = EventLoop()
        let served = ServedDevice(device: device, loop: loop, latency: latency, store: store, verbose: verbose)
        let platforms = ServedPlatforms(loop: loop, verbose: verbose)
        served.datagrams = { platforms.deliver($0, to: served) }
        let watch = try SignalWatch(signals: [SIGINT, SIGTERM], loop: loop) { _ in served.stop() }
        defer { watch.cancel() }
        if stdio {
            try serveStdio(served, loop: loop)
        } else {
            try servePty(served, loop: loop)
        }
    }

    private func serveStdio(_ served: ServedDevice<NetworkedModule>, loop: EventLoop) throws {
        let stdout = DescriptorWriter(fileDescriptor: 1, loop: loop)
        served.output = {
            stdout.write($0)
            if stdout.closed { served.stop() }   // nobody reads the answers any more
        }
        log("emulated BC260Y-CN on stdin/stdout")
        served.start()
        let input = loop.watch(0) { _ in
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 {
                served.input(Array(buffer[0..<count]))
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                served.stop()
            }
        }
        try loop.run()
        loop.unwatch(input)
        served.finish()
        stdout.drain()
    }

    private func servePty(_ served: ServedDevice<NetworkedModule>, loop: EventLoop) throws {
        let terminal = try PseudoTerminal(linkPath: link)
        defer { terminal.close() }
        let writer = DescriptorWriter(fileDescriptor: terminal.fileDescriptor, loop: loop)
        served.output = { writer.write($0) }
        // The path first and alone on its line: scripts and tests read it.
        printLine(terminal.slavePath)
        log("emulated BC260Y-CN on \(terminal.slavePath)" + (link.map { " (link \($0))" } ?? ""))
        terminal.watch(on: loop, onBytes: { served.input($0) }, onFailure: { log("pty: \($0)") })
        served.start()
        try loop.run()
        served.finish()
        writer.drain()
    }
}

/// Hosts an ``ATDevice`` on an `EventLoop` in real time: bytes in, paced bytes out, the
/// device's deadlines on the loop's one timer, the saved state written before the bytes that
/// confirm it leave.
final class ServedDevice<Device: ATDevice> {
    private(set) var device: Device
    var output: ([UInt8]) -> Void = { _ in }
    /// Carries the datagrams the device sends (the owner feeds answers back with
    /// ``receive(_:)``). Unset, they are dropped with a note.
    var datagrams: ([Datagram]) -> Void

    private let loop: EventLoop
    private var pacing: ResponsePacing
    private let store: ModuleStateStore?
    private let verbose: Bool
    private var timer: (id: EventLoop.TimerID, at: Instant)?
    private var unsavedState: ModuleState?

    init(device: Device, loop: EventLoop, latency: Int64, store: ModuleStateStore?, verbose: Bool) {
        self.device = device
        self.loop = loop
        self.store = store
        self.verbose = verbose
        pacing = ResponsePacing(millisecondsPerLine: latency)
        datagrams = { for datagram in $0 { log("no network: datagram to \(datagram.peer) dropped") } }
    }

    func start() {
        take(device.powerOn(now: loop.now))
    }

    func input(_ bytes: [UInt8]) {
        take(device.receive(bytes: bytes, now: loop.now))
    }

    func receive(_ datagram: Datagram) {
        take(device.receive(datagram: datagram, now: loop.now))
    }

    /// Ends `loop.run()`; ``finish()`` then sends what is still paced.
    func stop() { loop.stop() }

    /// Sends every paced byte at once and retries a failed save.
    func finish() {
        if let timer { loop.cancel(timer.id) }
        timer = nil
        if let unsavedState { save(unsavedState) }
        let rest = pacing.flush()
        if !rest.isEmpty { output(rest) }
    }

    private func tick() {
        timer = nil
        take(device.advance(to: loop.now))
    }

    private func take(_ result: ATDeviceOutput) {
        let now = loop.now
        // Saved before the `OK` that confirms it can reach anyone.
        if let state = result.stateToSave { save(state) }
        if verbose { result.diagnostics.forEach { log($0) } }
        // The bytes are queued before the datagrams go: answers to them (printed by nested
        // calls) must come after.
        pacing.schedule(result.bytes, now: now)
        if !result.datagrams.isEmpty { datagrams(result.datagrams) }
        let due = pacing.due(at: now)
        if !due.isEmpty { output(due) }
        rearm()
    }

    private func save(_ state: ModuleState) {
        guard let store else { return }
        do {
            try store.save(state)
            unsavedState = nil
        } catch {
            unsavedState = state
            log("cannot save the module state to \(store.path): \(error)")
        }
    }

    private func rearm() {
        let next = [device.nextDeadline, pacing.nextDeadline].compactMap { $0 }.min()
        if let timer, timer.at == next { return }
        if let timer { loop.cancel(timer.id) }
        timer = nil
        guard let next else { return }
        let id = loop.schedule(at: next) { [unowned self] in self.tick() }
        timer = (id, next)
    }
}

/// The note's platforms in real time beside a served module: its datagrams reach them at once,
/// their answers and their own timed sends (observe, reads, acknowledgements) go back to it.
/// Datagrams for other addresses are dropped (no UDP out to the Internet yet).
final class ServedPlatforms {
    private let loop: EventLoop
    private let verbose: Bool
    private var platforms = EmbeddedPlatforms()
    private var timer: EventLoop.TimerID?
    private weak var served: ServedDevice<NetworkedModule>?

    init(loop: EventLoop, verbose: Bool) {
        self.loop = loop
        self.verbose = verbose
    }

    func deliver(_ datagrams: [Datagram], to served: ServedDevice<NetworkedModule>) {
        self.served = served
        for datagram in datagrams {
            if case .external = platforms.network.route(datagram.peer), verbose {
                log("no route to \(datagram.peer): only the note's platforms are reachable")
            }
            let answers = platforms.receive(datagram, now: loop.now)
            answers.forEach { served.receive($0) }
        }
        rearm()
    }

    private func rearm() {
        if let timer { loop.cancel(timer) }
        timer = nil
        guard let next = platforms.nextDeadline else { return }
        timer = loop.schedule(at: next) { [unowned self] in
            self.timer = nil
            let answers = self.platforms.advance(to: self.loop.now)
            answers.forEach { self.served?.receive($0) }
            self.rearm()
        }
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
