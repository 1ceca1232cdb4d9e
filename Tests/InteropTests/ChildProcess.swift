import Foundation
import Glibc

/// A child process (the built `bc260`, a third-party peer such as libcoap's `coap-client`, or any
/// program on PATH) with socket pairs on stdin, stdout and stderr, for the process-level tests.
/// Spawned with an empty signal mask and default signal actions (the test runner's threads may
/// block SIGTERM, and a child inherits that), and with close-on-exec ends so that no other
/// test's child keeps them open. Every wait is bounded; a wait can pump the test's own event
/// loop (a live peer talks to it meanwhile).
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private var input: Int32
    private var output: Int32
    private var errors: Int32
    private var pendingOutput: [UInt8] = []
    private(set) var allOutput: [UInt8] = []
    private var errorBytes: [UInt8] = []
    private var status: Int32?

    /// The package's root, from this file's path.
    static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `bc260` beside the running test bundle (`swift build --build-tests` builds both), else
    /// in `.build/debug`.
    static let executablePath: String = {
        let bundleDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = bundleDirectory.appendingPathComponent("bc260").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return packageRoot + "/.build/debug/bc260"
    }()

    /// Runs the built `bc260` with `arguments`.
    convenience init(_ arguments: [String], mergingErrors: Bool = false) throws {
        try self.init(executable: Self.executablePath, arguments, mergingErrors: mergingErrors)
    }

    /// Runs `executable` (a path, or a name looked up on PATH). With `mergingErrors`, stderr
    /// joins stdout (for a program that reports on either).
    init(executable: String, _ arguments: [String], mergingErrors: Bool = false) throws {
        var inputEnds: [Int32] = [-1, -1], outputEnds: [Int32] = [-1, -1], errorEnds: [Int32] = [-1, -1]
        // Socket pairs rather than pipes: SOCK_CLOEXEC sets close-on-exec atomically (pipe2 does
        // not import), so a child another test spawns meanwhile cannot inherit these ends.
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, kind, 0, &inputEnds) == 0, socketpair(AF_UNIX, kind, 0, &outputEnds) == 0,
              socketpair(AF_UNIX, kind, 0, &errorEnds) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
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
        var environment = ["LANG=C.UTF-8"]
        for name in ["PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION", "PYTHONPATH"] {
            if let value = getenv(name) { environment.append("\(name)=\(String(cString: value))") }
        }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
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

    deinit {
        if status == nil {
            Glibc.kill(pid, SIGKILL)
            _ = waitForExit(seconds: 5)
        }
        [input, output, errors].filter { $0 >= 0 }.forEach { close($0) }
    }

    // MARK: Talking

    /// Writes `text` as it is to stdin (a line needs its own CR or LF).
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count, input >= 0 {
            let count = bytes[offset...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            offset += count
        }
    }

    /// End of input for the child.
    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// The next `count` non-empty lines of stdout (CR, LF or CR LF ends a line), or fewer if
    /// they do not come within `seconds`.
    func readLines(count: Int, seconds: Double = 5) -> [String] {
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
    var lines: [String] {
        drain()
        return allOutput.split(whereSeparator: { $0 == 0x0D || $0 == 0x0A }).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Waits until `condition` holds over ``lines`` or `seconds` pass, calling `pump` (the test's
    /// own loop, briefly) between looks.
    @discardableResult
    func waitFor(seconds: Double, pump: () -> Void = {}, _ condition: ([String]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(lines) { return true }
            pump()
            waitAndDrain(milliseconds: 2)
        }
        return condition(lines)
    }

    var outputText: String {
        drain()
        return String(decoding: allOutput, as: UTF8.self)
    }

    var errorText: String {
        drain()
        return String(decoding: errorBytes, as: UTF8.self)
    }

    // MARK: Ending

    func kill(_ signal: Int32) { Glibc.kill(pid, signal) }

    /// Sends `signal` (unless it already ended) and waits for the end.
    @discardableResult
    func terminate(_ signal: Int32 = SIGTERM, seconds: Double = 5) -> Int32? {
        if status == nil { kill(signal) }
        return waitForExit(seconds: seconds)
    }

    /// The wait status, or nil when the process is still running after `seconds`; `pump` runs
    /// between looks.
    func waitForExit(seconds: Double = 5, pump: () -> Void = {}) -> Int32? {
        if let status { return status }
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var result: Int32 = 0
            let waited = waitpid(pid, &result, WNOHANG)
            if waited == pid {
                drain()
                status = result
                return result
            }
            if Date() >= deadline { return nil }
            pump()
            waitAndDrain(milliseconds: 10)
        }
    }

    static func exitedCleanly(_ status: Int32?) -> Bool { exitCode(status) == 0 }

    /// True when `name` is on PATH; interop tests fail loudly (not skip) when a peer is missing,
    /// because `make test` installs them.
    static func exists(_ name: String) -> Bool {
        guard let probe = try? ChildProcess(executable: "sh", ["-c", "command -v \"$0\"", name]) else { return false }
        return exitedCleanly(probe.waitForExit(seconds: 10))
    }

    /// The exit code, nil when the process was killed by a signal or has not ended.
    static func exitCode(_ status: Int32?) -> Int32? {
        guard let status, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    // MARK: Pipes

    private func waitAndDrain(milliseconds: Int32) {
        var descriptors = [output, errors].filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if descriptors.isEmpty {
            usleep(UInt32(milliseconds) * 1000)
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

/// A directory under /tmp removed when the value goes away.
final class ScratchDirectory: @unchecked Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/bc260-serve-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
