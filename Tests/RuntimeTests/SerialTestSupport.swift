import Glibc
@testable import Runtime

// Helpers for the pty and serial tests. Waits are bounded `poll` calls, never sleeps; real
// processes (socat, python3) get bounded real-time waits.

/// Polls `fd` for `events` at most `milliseconds`; true when something was reported.
func waitFor(_ fd: Int32, events: Int32 = Int32(POLLIN), milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
    while true {
        let result = poll(&entry, 1, milliseconds)
        if result < 0, errno == EINTR { continue }
        return result > 0
    }
}

/// Milliseconds on the monotonic clock, for test deadlines.
func monotonicMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}

/// Checks `condition` every millisecond until it holds or `milliseconds` pass, for state the
/// kernel updates asynchronously and that no descriptor announces.
func eventually(milliseconds: Int64 = 2000, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicMilliseconds() + milliseconds
    while !condition() {
        guard monotonicMilliseconds() < deadline else { return false }
        _ = poll(nil, 0, 1)
    }
    return true
}

/// A client of a terminal device: a plain non-blocking descriptor that never touches termios
/// unless asked, like `cat` or a program that trusts the current settings.
final class TerminalClient {
    let fd: Int32
    let path: String

    init(path: String) throws(SerialPortError) {
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SerialPortError.system(call: "open", path: path, errno: errno) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    func write(_ bytes: ArraySlice<UInt8>) -> Int {
        let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return max(0, count)
    }

    func read() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? Array(buffer[0..<count]) : nil
    }
}

/// Moves `bytes` from a sender to a receiver, writing what the kernel takes and reading what
/// arrives until everything came through or `milliseconds` passed; returns what arrived.
/// Interleaving matters: 4 KiB may not fit the pty's queue in one write.
func transfer(_ bytes: [UInt8], send: (ArraySlice<UInt8>) throws -> Int,
              receiveFD: Int32, receive: () throws -> [UInt8]?,
              milliseconds: Int64 = 5000) throws -> [UInt8] {
    let deadline = monotonicMilliseconds() + milliseconds
    var sent = 0
    var received: [UInt8] = []
    while received.count < bytes.count, monotonicMilliseconds() < deadline {
        if sent < bytes.count { sent += try send(bytes[sent...]) }
        if waitFor(receiveFD, milliseconds: 20) {
            while let chunk = try receive() { received += chunk }
        }
    }
    return received
}

/// A fresh directory under /tmp for links, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/bc260-serial-XXXXXX".utf8CString)
        path = mkdtemp(&template).map { String(cString: $0) } ?? "/tmp"
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func remove() {
        guard path != "/tmp", let directory = opendir(path) else { return }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { unlink("\(path)/\(name)") }
        }
        closedir(directory)
        rmdir(path)
    }
}

/// What a path is right now: nil when nothing is there.
func symlinkTarget(_ path: String) -> String? { PseudoTerminal.linkTarget(path) }

func pathExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// A program run for a test (socat, python3), its stdout and stderr merged into one pipe that
/// the test reads with bounded waits.
final class ChildProcess {
    let pid: pid_t
    private var outputFD: Int32
    private(set) var output: [UInt8] = []
    private var exitStatus: Int32?

    /// Starts `arguments[0]` (a path, or a name looked up in PATH) with the rest as arguments.
    init(_ arguments: [String]) throws(SerialPortError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .system(call: "pipe", path: arguments[0], errno: errno) }
        // Another test may spawn between pipe and fcntl and inherit these: nothing here relies
        // on seeing end of file, exits are found with waitpid.
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        // The caller's PATH picks the same python3 the Makefile installs packages for (pyenv
        // shims need HOME or PYENV_ROOT); nothing else of the environment is passed on.
        var environment: [String] = ["LANG=C.UTF-8"]
        for name in ["PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH"] {
            if let value = getenv(name) { environment.append("\(name)=\(String(cString: value))") }
        }
        if getenv("PATH") == nil { environment.append("PATH=/usr/bin:/bin") }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // The test runner's threads may block or ignore signals, and a child inherits both:
        // give it an empty mask and default actions, or SIGTERM never arrives.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&signals, signal) }
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child = pid_t()
        let result = posix_spawnp(&child, arguments[0], &actions, &attributes, argv, envp)
        close(ends[1])
        guard result == 0 else {
            close(ends[0])
            throw .system(call: "posix_spawn", path: arguments[0], errno: result)
        }
        pid = child
        outputFD = ends[0]
    }

    deinit {
        if exitStatus == nil { _ = terminate(signal: SIGKILL) }
        if outputFD >= 0 { close(outputFD) }
    }

    var outputText: String { String(decoding: output, as: UTF8.self) }

    /// Reads output until it contains `text` or `milliseconds` pass.
    func waitForOutput(containing text: String, milliseconds: Int64 = 5000) -> Bool {
        let deadline = monotonicMilliseconds() + milliseconds
        while !outputText.contains(text) {
            let remaining = deadline - monotonicMilliseconds()
            guard remaining > 0, outputFD >= 0 else { return false }
            if waitFor(outputFD, milliseconds: Int32(remaining)) { drainOutput() }
        }
        return true
    }

    /// Waits for the process to end, collecting its output; its wait status, or nil if it is
    /// still running after `milliseconds`.
    func waitForExit(milliseconds: Int64 = 5000) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = monotonicMilliseconds() + milliseconds
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                while outputFD >= 0 && waitFor(outputFD, milliseconds: 0) { drainOutput() }
                exitStatus = status
                return status
            }
            guard monotonicMilliseconds() < deadline else { return nil }
            // Output or a 10 ms tick, whichever first: the exit itself cannot be polled.
            if outputFD >= 0 && waitFor(outputFD, milliseconds: 10) {
                drainOutput()
            } else if outputFD < 0 {
                _ = poll(nil, 0, 10)
            }
        }
    }

    /// Sends `signal` and waits for the end; the wait status, nil if it outlived the wait.
    func terminate(signal: Int32 = SIGTERM, milliseconds: Int64 = 5000) -> Int32? {
        if let exitStatus { return exitStatus }
        kill(pid, signal)
        return waitForExit(milliseconds: milliseconds)
    }

    /// Whether a wait status says "exited with code 0".
    static func succeeded(_ status: Int32?) -> Bool {
        guard let status else { return false }
        return status & 0x7f == 0 && (status >> 8) & 0xff == 0
    }

    private func drainOutput() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
        if count > 0 {
            output += buffer[0..<count]
        } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
            close(outputFD)
            outputFD = -1
        }
    }
}

/// A null-modem pair from socat: two pty slaves behind the symlinks `linkA` and `linkB`.
final class SocatPair {
    let linkA: String
    let linkB: String
    private var process: ChildProcess?

    init(linkA: String, linkB: String) {
        self.linkA = linkA
        self.linkB = linkB
    }

    deinit { stop() }

    /// Starts socat and waits until its links exist (it says so before its transfer loop).
    func start() throws -> Bool {
        let process = try ChildProcess(["/usr/bin/socat", "-d", "-d",
                                        "pty,raw,echo=0,link=\(linkA)", "pty,raw,echo=0,link=\(linkB)"])
        self.process = process
        return process.waitForOutput(containing: "starting data transfer loop")
    }

    /// Stops socat with SIGTERM (it removes its links on the way out) and waits for it.
    @discardableResult
    func stop() -> Bool {
        guard let process else { return true }
        self.process = nil
        return process.terminate() != nil
    }
}

/// Whether `python3` is here at all, and whether it has pyserial.
let python3Available: Bool = ChildProcess.succeeded(try? ChildProcess(["python3", "-c", "pass"]).waitForExit())
let pyserialAvailable: Bool = ChildProcess.succeeded(try? ChildProcess(["python3", "-c", "import serial"]).waitForExit())
