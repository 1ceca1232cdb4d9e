#if canImport(Glibc)
import Glibc
#endif
import CoAP
import Runtime

/// Runs the console on the terminal: one thread, one `poll` loop over stdin, the link's
/// descriptors and timers; keys go to ``ConsoleState``, its actions to the ``ModuleLink``, and
/// the screen is redrawn after anything changed (and every second, for the countdowns).
///
/// Contract: the terminal is restored on every way out: F10 or Ctrl-C (a key in raw mode),
/// SIGINT, SIGTERM, SIGHUP, SIGQUIT, a thrown error, and (through the driver's handlers) a
/// crash.
public final class ConsoleRunner {
    public struct Options: Sendable {
        public var colors: Bool
        /// Where the input history is kept between runs (nil: not kept).
        public var historyFile: String?
        /// Lines the log keeps (`--log-cap`); older ones are dropped.
        public var logCapacity: Int
        /// Where the session is appended as timestamped text (`--log`), if anywhere.
        public var logFile: String?
        /// The guided example to follow (`--walkthrough`), if any.
        public var walkthrough: Walkthrough?
        /// Send AT+QLASTATUS? every this many seconds (`--poll`), visibly, as a person would.
        public var pollSeconds: Int?

        public init(colors: Bool, historyFile: String?, logCapacity: Int = 100_000, logFile: String? = nil,
                    walkthrough: Walkthrough? = nil, pollSeconds: Int? = nil) {
            self.pollSeconds = pollSeconds
            self.colors = colors
            self.historyFile = historyFile
            self.logCapacity = logCapacity
            self.logFile = logFile
            self.walkthrough = walkthrough
        }
    }

    private let loop: EventLoop
    private let link: ModuleLink
    private let options: Options
    private var state: ConsoleState
    private var quit = false
    private var dirty = true
    private var sessionFile: SessionLogFile?

    public init(loop: EventLoop, link: ModuleLink, options: Options) {
        self.loop = loop
        self.link = link
        self.options = options
        state = ConsoleState(model: SessionModel(logCapacity: options.logCapacity),
                             history: options.historyFile.map(HistoryFile.load) ?? [])
        state.playsPlatform = link is EmulatorLink
    }

    /// Runs until the person quits or a signal ends the session; returns the exit status.
    public func run() throws -> Int32 {
        let origin = WallClock.timeOfDayMilliseconds() - loop.now.milliseconds
        state.setClockOrigin(origin)
        if let path = options.logFile {
            sessionFile = SessionLogFile(path: path, clockOrigin: origin, header: "bc260 console session, \(WallClock.dateTime())")
            if sessionFile == nil { state.note("cannot append to \(path): the session is not logged", now: loop.now) }
        }
        let terminal = CursesTerminal(colors: options.colors)
        defer { terminal.restore() }
        var signalled: Int32?
        let signals = try SignalWatch(signals: [SIGINT, SIGTERM, SIGHUP, SIGQUIT], loop: loop) { [weak self] signal in
            signalled = signal
            self?.quit = true
        }
        defer { signals.cancel() }
        let input = loop.watch(STDIN_FILENO) { _ in }
        defer { loop.unwatch(input) }

        link.onBytes = { [weak self] bytes in
            guard let self else { return }
            self.state.received(bytes, now: self.loop.now)
            self.dirty = true
        }
        link.onStatus = { [weak self] description, note in
            guard let self else { return }
            self.state.setLink(description)
            if let note { self.state.note(note, now: self.loop.now) }
            self.dirty = true
        }
        state.setLink(link.linkDescription)
        link.start()
        defer { link.stop() }
        if let walkthrough = options.walkthrough { state.startWalkthrough(walkthrough, now: loop.now) }
        if let seconds = options.pollSeconds { pollStatus(every: Int64(seconds) * 1000) }

        var lastDraw = Instant(milliseconds: Int64.min / 2)
        while !quit {
            for key in terminal.readKeys() {
                handle(key, terminal: terminal)
                if quit { break }
            }
            if quit { break }
            let now = loop.now
            sessionFile?.write(state.model.log)
            if dirty || now - lastDraw >= 1000 {
                let size = terminal.size
                state.fit(width: size.width, height: size.height)
                terminal.draw(ConsoleScreen.render(state, now: now, width: size.width, height: size.height))
                lastDraw = now
                dirty = false
            }
            try loop.runOnce(maximumWait: 1000 - min(999, max(0, loop.now - lastDraw)))
        }
        sessionFile?.write(state.model.log)
        if let file = options.historyFile { HistoryFile.save(state.editor.history, to: file) }
        return signalled.map { 128 + $0 } ?? 0
    }

    /// The status pane learns what the AT lines cannot tell by asking, in the log like any line.
    private func pollStatus(every milliseconds: Int64) {
        loop.schedule(after: milliseconds) { [weak self] in
            guard let self, !self.quit else { return }
            let line = "AT+QLASTATUS?"
            self.state.model.sent(line, at: self.loop.now)
            self.link.send(line: line)
            self.dirty = true
            self.pollStatus(every: milliseconds)
        }
    }

    private func handle(_ key: Key, terminal: CursesTerminal) {
        dirty = true
        for action in state.handle(key, now: loop.now) {
            switch action {
            case .send(let line): link.send(line: line)
            case .platform(let play): (link as? EmulatorLink)?.play(play)
            case .quit: quit = true
            case .saveScript(let text): saveScript(text)
            }
        }
    }

    /// F5 / Ctrl-S: the transcript as `bc260-session-<date>-<time>.at` in the working directory.
    private func saveScript(_ text: String) {
        let path = "bc260-session-" + WallClock.dateTime(compact: true) + ".at"
        guard let file = fopen(path, "w") else {
            state.note("cannot write \(path): \(String(cString: strerror(errno)))", now: loop.now)
            return
        }
        let ok = fputs(text, file) >= 0
        fclose(file)
        state.note(ok ? "saved the session as \(path) (bc260 run \(path) replays it)" : "writing \(path) failed", now: loop.now)
    }
}
