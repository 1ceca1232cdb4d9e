import Foundation
import Testing

/// The console's serial backend, end to end: the real binary in tmux with `--port` on a
/// pseudo-terminal that another real process serves (`bc260 serve --pty --link`, or socat's pty
/// in front of `bc260 serve --stdio`). Unplugging is ending that process (its pty vanishes);
/// replugging is starting it again at the same link path.
@Suite(.serialized) struct TmuxSerialTests {
    static var available: Bool {
        TmuxConsoleTests.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/socat")
    }

    /// A process started with posix_spawn, its output in files; ended with SIGTERM (so it takes
    /// its pty and link with it) and reaped.
    final class Process {
        let pid: pid_t
        init(_ arguments: [String], output: String) throws {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, output + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { throw TmuxError.spawn }
            self.pid = pid
        }

        func end() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            for _ in 0..<50 {
                if waitpid(pid, &status, WNOHANG) == pid { return }
                usleep(50_000)
            }
            // Still there after 2.5 s: no more asking.
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    /// Waits until `path` exists (a link made by the serving process).
    static func waitForFile(_ path: String, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(50_000)
        }
        return false
    }

    // Short, so that the log and the status pane show it on one line.
    let directory = "/tmp/bc260s-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    var link: String { directory + "/m" }

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// `bc260 serve --pty --link`, its state in the test's directory.
    func serve() throws -> Process {
        let process = try Process([TmuxConsoleTests.binary, "serve", "--pty", "--link", link, "--state", directory + "/serve-state"],
                                  output: directory + "/serve.out")
        #expect(Self.waitForFile(link), "serve --pty never made \(link)")
        return process
    }

    /// socat's own pty at the link, relaying to `bc260 serve --stdio` behind it.
    func socat() throws -> Process {
        let serve = "\(TmuxConsoleTests.binary) serve --stdio --latency 0 --state \(directory)/serve-state"
        let process = try Process(["/usr/bin/socat", "pty,raw,echo=0,link=\(link)", "exec:\(serve)"],
                                  output: directory + "/socat.out")
        #expect(Self.waitForFile(link), "socat never made \(link)")
        return process
    }

    /// The whole story on one serving backend: query, unplug, reconnect, query again.
    func unplugAndReplug(_ start: () throws -> Process) throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = try start()
        let session = TmuxConsoleTests.Session()
        try session.start(width: 160, height: 40, arguments: ["--port", link])
        var screen = try session.waitFor(["\(link) connected", "+CPIN: READY"])
        #expect(screen.contains("# opening \(link) at 115200 bit/s"), "\(screen)")
        #expect(screen.contains("Link     \(link) 115200 connected"), "\(screen)")

        try session.keys("AT+QLASTATUS?", "Enter")
        screen = try session.waitFor(["< +QLASTATUS: 0", "not registered (0)"])
        #expect(screen.contains("> AT+QLASTATUS?"), "\(screen)")
        #expect(screen.contains("< +QLASTATUS: 0"))
        #expect(screen.contains("Status   not registered (0)"))

        // Unplug: the pty goes away; the log says so and the status pane stops saying connected.
        server.end()
        screen = try session.waitFor(["\(link) lost", "reconnecting"])
        #expect(screen.contains("# \(link) lost"), "\(screen)")
        #expect(!screen.contains("115200 connected"), "\(screen)")
        // A line typed while unplugged is not sent, and the console says why.
        try session.keys("AT", "Enter")
        screen = try session.waitFor(["is not connected: line not sent"])
        #expect(screen.contains("is not connected: line not sent"), "\(screen)")

        // Replug at the same path: the console reopens it by itself.
        server = try start()
        defer { server.end() }
        screen = try session.waitFor(["\(link) reconnected after", "Link     \(link) 115200 connected"])
        #expect(screen.contains("# \(link) reconnected after"), "\(screen)")
        #expect(screen.contains("Link     \(link) 115200 connected"), "\(screen)")

        try session.keys("AT+QLASTATUS?", "Enter")
        let deadline = Date().addingTimeInterval(10)
        var answers = 0
        repeat {
            screen = try session.screen()
            answers = screen.split(separator: "\n").filter { $0.contains("< +QLASTATUS: 0") }.count
            if answers >= 2 { break }
            usleep(100_000)
        } while Date() < deadline
        #expect(answers == 2, "the query after the replug is answered too: \(screen)")
    }

    @Test(.enabled(if: available)) func serveOnAPtyUnpluggedAndReplugged() throws {
        try unplugAndReplug(serve)
    }

    @Test(.enabled(if: available)) func socatPtyInFrontOfServeStdioUnpluggedAndReplugged() throws {
        try unplugAndReplug(socat)
    }
}
