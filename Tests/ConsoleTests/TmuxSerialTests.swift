import Foundation
import Testing
import TestSupport

/// The console's serial backend, end to end: the real binary in tmux with `--port` on a
/// pseudo-terminal that another real process serves (`bc260 serve --pty --link`, or socat's pty
/// in front of `bc260 serve --stdio`). Unplugging is ending that process (its pty vanishes);
/// replugging is starting it again at the same link path.
@Suite(.serialized) struct TmuxSerialTests {
    static var available: Bool {
        TmuxConsoleTests.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/socat")
    }

    /// Waits until `path` exists (a link made by the serving process).
    static func waitForFile(_ path: String) -> Bool {
        eventually(milliseconds: 10_000) { FileManager.default.fileExists(atPath: path) }
    }

    // Short, so that the log and the status pane show it on one line.
    let directory: TemporaryDirectory
    var link: String { directory.file("m") }

    init() throws {
        directory = try TemporaryDirectory(prefix: "bc260s-")
    }

    /// `bc260 serve --pty --link`, its state in the test's directory; nothing on its stdin.
    func serve() throws -> ChildProcess {
        let process = try ChildProcess(["serve", "--pty", "--link", link, "--state", directory.file("serve-state")])
        process.closeInput()
        #expect(Self.waitForFile(link), "serve --pty never made \(link)")
        return process
    }

    /// socat's own pty at the link, relaying to `bc260 serve --stdio` behind it.
    func socat() throws -> ChildProcess {
        let serve = "\(PackagePaths.bc260) serve --stdio --latency 0 --state \(directory.file("serve-state"))"
        let process = try ChildProcess(executable: "/usr/bin/socat", ["pty,raw,echo=0,link=\(link)", "exec:\(serve)"])
        process.closeInput()
        #expect(Self.waitForFile(link), "socat never made \(link)")
        return process
    }

    /// The whole story on one serving backend: query, unplug, reconnect, query again.
    func unplugAndReplug(_ start: () throws -> ChildProcess) throws {
        defer { directory.remove() }
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
        server.stop(graceSeconds: 2.5)
        screen = try session.waitFor(["\(link) lost", "reconnecting"])
        #expect(screen.contains("# \(link) lost"), "\(screen)")
        #expect(!screen.contains("115200 connected"), "\(screen)")
        // A line typed while unplugged is not sent, and the console says why.
        try session.keys("AT", "Enter")
        screen = try session.waitFor(["is not connected: line not sent"])
        #expect(screen.contains("is not connected: line not sent"), "\(screen)")

        // Replug at the same path: the console reopens it by itself.
        server = try start()
        defer { server.stop(graceSeconds: 2.5) }
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
