import Foundation

/// The console (`bc260` and its arguments) as a child on a pseudo-terminal the bench owns: the
/// bench reads what a person's terminal would receive, byte for byte, from the master side,
/// and types on it.
///
/// Contract:
/// - The child runs in its own session with the slave as its controlling terminal (so if the
///   bench dies, closing the master hangs it up), the window size given, TERM=xterm-256color,
///   LANG=C.UTF-8 and `home` as HOME.
/// - Every wait has a deadline and throws with what it waited for; output read while
///   `recording` is kept in `transcript`, otherwise only counted.
/// - A burst is output with no gap of `quiet` seconds; its time is that of its last byte, not
///   of the quiet that ends it.
/// - `stop()` (also on deinit) quits with F10, then SIGTERM, then SIGKILL, and reaps the child:
///   nothing outlives the bench.
final class ConsoleProcess {
    let pid: pid_t
    /// When `posix_spawn` was called (``Measure/now()``).
    let spawnedAt: Double
    private var master: Int32
    private var reaped = false
    /// Output kept while `recording`; `forget()` empties it.
    private(set) var transcript: [UInt8] = []
    var recording = true
    /// Bytes read so far, recorded or not.
    private(set) var received = 0
    /// When the last byte arrived.
    private(set) var lastArrival = 0.0
    /// The gap that ends a burst.
    var quiet = 0.010

    static let f10: [UInt8] = Array("\u{1B}[21~".utf8)

    init(bc260: String, arguments: [String], width: Int, height: Int, home: String) throws {
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        var masterFD: Int32 = -1
        var slaveFD: Int32 = -1
        guard openpty(&masterFD, &slaveFD, nil, nil, &size) == 0 else { throw Self.failure("openpty: errno \(errno)") }
        defer { close(slaveFD) }  // the child opens the slave by name; ours only held it
        var name = [CChar](repeating: 0, count: 256)
        guard ttyname_r(slaveFD, &name, name.count) == 0,
              fcntl(masterFD, F_SETFD, FD_CLOEXEC) == 0, fcntl(slaveFD, F_SETFD, FD_CLOEXEC) == 0,
              fcntl(masterFD, F_SETFL, fcntl(masterFD, F_GETFL) | O_NONBLOCK) == 0 else {
            close(masterFD)
            throw Self.failure("setting up the console's pty: errno \(errno)")
        }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened by name after setsid (which posix_spawn does first): it becomes the controlling
        // terminal, as under a terminal emulator.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID, glibc's value: Swift's Glibc module leaves out this GNU extension.
        posix_spawnattr_setflags(&attributes, 0x80)

        let argv: [UnsafeMutablePointer<CChar>?] = ([bc260] + arguments).map { strdup($0) } + [nil]
        let environment = ["TERM=xterm-256color", "LANG=C.UTF-8", "HOME=\(home)", "PATH=/usr/bin:/bin"]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let start = Measure.now()
        let spawned = posix_spawn(&child, bc260, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            close(masterFD)
            throw Self.failure("cannot start \(bc260): errno \(spawned)")
        }
        pid = child
        spawnedAt = start
        master = masterFD
    }

    deinit { stop() }

    static func failure(_ description: String) -> ATCommandBench.Failure {
        ATCommandBench.Failure(description: "console: " + description)
    }

    var fileDescriptor: Int32 { master }

    // MARK: Reading

    /// Reads whatever is waiting; returns the byte count (0: nothing now). Throws once the
    /// child has closed the terminal (it exited).
    @discardableResult
    func readAvailable() throws -> Int {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count > 0 {
                total += count
                received += count
                lastArrival = Measure.now()
                if recording { transcript += buffer[0..<count] }
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN { return total }
            // EIO (or end of file): no process has the slave open any more.
            if total > 0 { return total }
            throw Self.failure("bc260 closed its terminal (exited?); last output: \(tail)")
        }
    }

    /// Waits until the master is readable or `seconds` pass; true when readable.
    func waitReadable(seconds: Double) -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32((max(0, min(seconds, 3600)) * 1000).rounded(.up))
        while true {
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            return ready > 0
        }
    }

    /// Reads until no byte arrived for `quiet` seconds; returns the last byte's time (nil if
    /// none came). Throws if the output never pauses within `timeout`.
    @discardableResult
    func settle(timeout: Double = 10) throws -> Double? {
        let before = received
        let start = Measure.now()
        let deadline = start + timeout
        while true {
            let quietUntil = (received > before ? lastArrival : start) + quiet
            let wait = quietUntil - Measure.now()
            if wait <= 0 || !waitReadable(seconds: wait) {
                if Measure.now() >= quietUntil { return received > before ? lastArrival : nil }
            }
            try readAvailable()
            if Measure.now() > deadline { throw Self.failure("output did not pause for \(quiet * 1000) ms within \(timeout) s") }
        }
    }

    /// Reads until the transcript holds every marker, then to the end of that burst; returns
    /// the last byte's time.
    func waitForScreen(containing markers: [String], timeout: Double = 10) throws -> Double {
        let needles = markers.map { Array($0.utf8) }
        let deadline = Measure.now() + timeout
        while !needles.allSatisfy({ ByteSearch.contains(transcript, $0) }) {
            let left = deadline - Measure.now()
            guard left > 0 else {
                let missing = zip(markers, needles).filter { !ByteSearch.contains(transcript, $0.1) }.map(\.0)
                throw Self.failure("no \(missing) on screen within \(timeout) s; last output: \(tail)")
            }
            if waitReadable(seconds: left) { try readAvailable() }
        }
        return try settle() ?? lastArrival
    }

    /// Writes `key` once the output is quiet, and returns the seconds from the write to the
    /// last byte of the redraw it causes. Throws if nothing is redrawn within `timeout`.
    func press(_ key: [UInt8], timeout: Double = 2) throws -> Double {
        try settle()
        // Before the write: on one core the child may run (and redraw) before write returns.
        let sent = Measure.now()
        try write(key)
        guard waitReadable(seconds: timeout) else {
            throw Self.failure("no redraw within \(timeout) s of key \(String(decoding: key, as: UTF8.self).debugDescription)")
        }
        try readAvailable()
        return (try settle() ?? lastArrival) - sent
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        let deadline = Measure.now() + 5
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
            if count > 0 { offset += count; continue }
            guard count < 0, errno == EINTR || errno == EAGAIN, Measure.now() < deadline else {
                throw Self.failure("writing to the terminal failed (errno \(errno))")
            }
            _ = try? readAvailable()  // a console blocked on its output cannot read its input
        }
    }

    func forget() { transcript.removeAll(keepingCapacity: true) }

    /// The end of the transcript, printable, for failure messages.
    var tail: String {
        String(decoding: transcript.suffix(300), as: UTF8.self).debugDescription
    }

    // MARK: The process

    /// VmRSS from /proc/PID/status, in bytes (0 where it cannot be read).
    var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
        }
        return 0
    }

    /// Quits with F10 and reaps the child; if it is still there after 2 s, SIGTERM, then
    /// SIGKILL. Returns whether F10 alone ended it. Safe to call twice.
    @discardableResult
    func stop() -> Bool {
        guard !reaped else { return true }
        defer {
            close(master)
            master = -1
        }
        try? write(Self.f10)
        if waitForExit(seconds: 2) { return true }
        kill(pid, SIGTERM)
        if waitForExit(seconds: 2) { return false }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        reaped = true
        return false
    }

    /// Drains the terminal (a child blocked on writing cannot exit) until the child is reaped.
    private func waitForExit(seconds: Double) -> Bool {
        let deadline = Measure.now() + seconds
        var status: Int32 = 0
        while Measure.now() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                return true
            }
            if waitReadable(seconds: 0.01) { _ = try? readAvailable() }
        }
        return false
    }
}
