import Foundation
import Glibc

/// A program run by a test (the built `bc260`, a peer such as libcoap's `coap-client`, socat,
/// python3, tmux) with socket pairs on stdin, stdout and stderr, stderr optionally joined to
/// stdout. Every wait is bounded and drains the output; a wait can pump the test's own event
/// loop (a live peer talks to it meanwhile).
///
/// The child starts with an empty signal mask and default signal actions (the test runner's
/// threads may block SIGTERM, and a child inherits that), with close-on-exec ends so that no
/// other test's child keeps them open, and with a small environment: `LANG=C.UTF-8` and only
/// PATH, HOME and the pyenv/python variables of the caller (so PATH finds the python3 the
/// Makefile installs packages for; pyenv shims need HOME or PYENV_ROOT).
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private var input: Int32
    private var output: Int32
    private var errors: Int32
    private var pendingOutput: [UInt8] = []
    /// Everything stdout (with stderr, when merged) has said so far.
    public private(set) var allOutput: [UInt8] = []
    private var errorBytes: [UInt8] = []
    private var status: Int32?

    /// Runs the built `bc260` (``PackagePaths/bc260``) with `arguments`.
    public convenience init(_ arguments: [String], mergingErrors: Bool = false) throws {
        try self.init(executable: PackagePaths.bc260, arguments, mergingErrors: mergingErrors)
    }

    /// Runs `executable` (a path, or a name looked up on PATH). With `mergingErrors`, stderr
    /// joins stdout (for a program that reports on either).
    public init(executable: String, _ arguments: [String], mergingErrors: Bool = false) throws {
        var inputEnds: [Int32] = [-1, -1], outputEnds: [Int32] = [-1, -1], errorEnds: [Int32] = [-1, -1]
        // Socket pairs rather than pipes: SOCK_CLOEXEC sets close-on-exec atomically (pipe2 does
        // not import), so a child another test spawns meanwhile cannot inherit these ends.
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, kind, 0, &inputEnds) == 0, socketpair(AF_UNIX, kind, 0, &outputEnds) == 0,
              socketpair(AF_UNIX, kind, 0, &errorEnds) == 0 else {
            let failure = errno
            (inputEnds + outputEnds + errorEnds).filter { $0 >= 0 }.forEach { close($0) }
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputEnds[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, mergingErrors ? outputEnds[1] : errorEnds[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&signals, signal) }
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = Self.environment().map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let result = posix_spawnp(&child, executable, &actions, &attributes, argv, envp)
        close(inputEnds[0])
        close(outputEnds[1])
        close(errorEnds[1])
        guard result == 0 else {
            [inputEnds[1], outputEnds[0], errorEnds[0]].forEach { close($0) }
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
        }
        pid = child
        input = inputEnds[1]
        output = outputEnds[0]
        errors = errorEnds[0]
        for fd in [output, errors] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    /// What a child sees of the environment; nothing else of the caller's is passed on.
    static func environment() -> [String] {
        var environment = ["LANG=C.UTF-8"]
        for name in ["PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH"] {
            if let value = getenv(name) { environment.append("\(name)=\(String(cString: value))") }
        }
        if getenv("PATH") == nil { environment.append("PATH=/usr/bin:/bin") }
        return environment
    }

    deinit {
        if status == nil {
            Glibc.kill(pid, SIGKILL)
            _ = waitForExit(seconds: 5)
        }
        [input, output, errors].filter { $0 >= 0 }.forEach { close($0) }
    }

    // MARK: Talking

    /// Writes `text` as it is to stdin (a line needs its own CR or LF).
    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count, input >= 0 {
            let count = bytes[offset...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            offset += count
        }
    }

    /// End of input for the child (what /dev/null on stdin would give it).
    public func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// The next `count` non-empty lines of stdout (CR, LF or CR LF ends a line), or fewer if
    /// they do not come within `seconds`.
    public func readLines(count: Int, seconds: Double = 5) -> [String] {
        var lines: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            while lines.count < count, let end = pendingOutput.firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) {
                let line = String(decoding: pendingOutput[..<end], as: UTF8.self)
                pendingOutput.removeSubrange(...end)
                if !line.isEmpty { lines.append(line) }
            }
            if lines.count >= count || Date() >= deadline || output < 0 { return lines }
            waitAndDrain(milliseconds: 20)
        }
    }

    /// Every non-empty line of stdout so far, whether ``readLines(count:seconds:)`` took it or not.
    public var lines: [String] {
        drain()
        return allOutput.split(whereSeparator: { $0 == 0x0D || $0 == 0x0A }).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Waits until `condition` holds over ``lines`` or `seconds` pass, calling `pump` (the test's
    /// own loop, briefly) between looks.
    @discardableResult
    public func waitFor(seconds: Double, pump: () -> Void = {}, _ condition: ([String]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(lines) { return true }
            pump()
            waitAndDrain(milliseconds: 2)
        }
        return condition(lines)
    }

    /// Waits until stdout contains `text` (anywhere, across lines) or `seconds` pass.
    public func waitForOutput(containing text: String, seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !outputText.contains(text) {
            guard Date() < deadline, output >= 0 else { return false }
            waitAndDrain(milliseconds: 20)
        }
        return true
    }

    public var outputText: String {
        drain()
        return String(decoding: allOutput, as: UTF8.self)
    }

    public var errorText: String {
        drain()
        return String(decoding: errorBytes, as: UTF8.self)
    }

    // MARK: Ending

    public func kill(_ signal: Int32) { Glibc.kill(pid, signal) }

    /// Sends `signal` (unless it already ended) and waits for the end; the wait status, nil if
    /// it outlived the wait.
    @discardableResult
    public func terminate(_ signal: Int32 = SIGTERM, seconds: Double = 5) -> Int32? {
        if status == nil { kill(signal) }
        return waitForExit(seconds: seconds)
    }

    /// SIGTERM, then SIGKILL if the process is still there `graceSeconds` later.
    public func stop(graceSeconds: Double = 0.2) {
        if terminate(SIGTERM, seconds: graceSeconds) == nil { terminate(SIGKILL) }
    }

    /// The wait status, or nil when the process is still running after `seconds`; `pump` runs
    /// between looks.
    public func waitForExit(seconds: Double = 5, pump: () -> Void = {}) -> Int32? {
        if let status { return status }
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var result: Int32 = 0
            let waited = waitpid(pid, &result, WNOHANG)
            if waited == pid || (waited < 0 && errno == ECHILD) {
                drain()
                status = result
                return result
            }
            if Date() >= deadline { return nil }
            pump()
            // Output or a 10 ms tick, whichever first: the exit itself cannot be polled.
            waitAndDrain(milliseconds: 10)
        }
    }

    public var isRunning: Bool { waitForExit(seconds: 0) == nil }

    /// The exit code, nil while running or after a signal.
    public var exitCode: Int32? { Self.exitCode(waitForExit(seconds: 0)) }

    /// Whether a wait status says "exited with code 0".
    public static func exitedCleanly(_ status: Int32?) -> Bool { exitCode(status) == 0 }

    /// The exit code, nil when the process was killed by a signal or has not ended.
    public static func exitCode(_ status: Int32?) -> Int32? {
        guard let status, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    /// True when `name` is on PATH (as `command -v` finds it).
    public static func exists(_ name: String) -> Bool {
        guard let probe = try? ChildProcess(executable: "sh", ["-c", "command -v \"$0\"", name]) else { return false }
        return exitedCleanly(probe.waitForExit(seconds: 10))
    }

    // MARK: Output

    private func waitAndDrain(milliseconds: Int32) {
        var descriptors = [output, errors].filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if descriptors.isEmpty {
            _ = poll(nil, 0, milliseconds)
        } else {
            _ = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        }
        drain()
    }

    private func drain() {
        drain(&output) { self.pendingOutput += $0; self.allOutput += $0 }
        drain(&errors) { self.errorBytes += $0 }
    }

    private func drain(_ fd: inout Int32, into sink: ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while fd >= 0 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                sink(Array(buffer[0..<count]))
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                close(fd)
                fd = -1
            } else {
                return
            }
        }
    }
}
