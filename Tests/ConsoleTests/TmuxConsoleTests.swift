import Foundation
import Testing
@testable import Console
import TestSupport

/// Drives the real `bc260` binary in tmux: keys in with send-keys, the screen out with
/// capture-pane. Skipped when tmux or the binary is missing (the Makefile builds the binary
/// before the tests).
enum TmuxError: Error { case stuck([String]) }

@Suite(.serialized) struct TmuxConsoleTests {
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: PackagePaths.bc260) && FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    }

    /// One tmux server per test (its own socket), killed at the end.
    final class Session {
        let socket = "bc260-console-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("bc260-console-\(UUID().uuidString)").path

        /// Runs tmux, with nothing on stdin, and waits (bounded) for it; its stdout.
        @discardableResult
        func tmux(_ arguments: [String]) throws -> String {
            let process = try ChildProcess(executable: "/usr/bin/tmux", ["-L", socket] + arguments)
            process.closeInput()
            guard process.waitForExit(seconds: 10) != nil else {
                process.stop()
                throw TmuxError.stuck(arguments)
            }
            return process.outputText
        }

        /// A detached session of `width` × `height` running `command` in `sh`, in UTF-8 and
        /// a 256-colour terminal.
        func newSession(width: Int, height: Int, command: String) throws {
            try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8", "-e", "TERM=xterm-256color",
                      "sh", "-c", command])
        }

        func start(width: Int, height: Int) throws {
            // After the console exits the shell prints a marker and the terminal's mode, so the
            // test can see that the terminal was given back.
            // No core files from the crash tests.
            try newSession(width: width, height: height,
                           command: "ulimit -c 0; \(PackagePaths.bc260) --state \(state); echo EXITED $?; stty -a | head -c 2000; sleep 20")
        }

        func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", "0"] + keys) }

        func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "0"]) }

        /// Waits (up to `timeout` seconds) until the screen holds every one of `texts`.
        func waitFor(_ texts: [String], timeout: Double = 10) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if texts.allSatisfy(last.contains) { return last }
                usleep(100_000)
            }
            return last
        }

        deinit {
            // The pane's shell leads its own process group: end it (and the console, if still
            // running) before the server, which then has nothing left to wait for.
            if let pane = try? tmux(["list-panes", "-a", "-F", "#{pane_pid}"]), let pid = Int32(pane.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(-pid, SIGKILL)
            }
            _ = try? tmux(["kill-server"])
            try? FileManager.default.removeItem(atPath: state)
        }
    }

    @Test(.enabled(if: available)) func statusQueryShowsInLogAndStatusPaneThenF10RestoresTheTerminal() throws {
        let session = Session()
        try session.start(width: 80, height: 24)
        var screen = try session.waitFor(["AT log", "LwM2M status", "Objects", "AT command", "+CPIN: READY"])
        #expect(screen.contains("+CPIN: READY"), "\(screen)")
        #expect(screen.contains("unknown · AT+QLASTATUS?"))
        try session.keys("AT+QLASTATUS?", "Enter")
        screen = try session.waitFor(["+QLASTATUS: 0", "not registered (0)"])
        #expect(screen.contains("> AT+QLASTATUS?"), "\(screen)")
        #expect(screen.contains("< +QLASTATUS: 0"))
        #expect(screen.contains("Status   not registered (0)"))
        try session.keys("F10")
        screen = try session.waitFor(["EXITED 0", "icanon", "echoe"])
        #expect(screen.contains("EXITED 0"), "\(screen)")
        // Back in cooked mode with echo: the console undid raw and noecho.
        #expect(screen.contains(" icanon") && screen.contains(" echo "), "\(screen)")
        #expect(!screen.contains("AT log"))
    }

    @Test(.enabled(if: available)) func registeringShowsTheObjectAndPrefillsTheObserveAnswerAtLargeSize() throws {
        let session = Session()
        try session.start(width: 200, height: 60)
        let first = try session.waitFor(["+CPIN: READY", "AT log", "LwM2M status", "Objects", "AT command"])
        for title in ["AT log", "LwM2M status", "Objects", "AT command", "F10 Quit"] {
            #expect(first.contains(title), "\(title) at 200x60: \(first)")
        }
        #expect(first.split(separator: "\n").contains { $0.count == 200 && $0.hasPrefix("┌") }, "the panes span the width")
        for line in [#"AT+QLACFG="platform",0"#, #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#,
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAREG"] {
            try session.keys(line, "Enter")
        }
        var screen = try session.waitFor(["+QLAREG: 0", "/19/0/0 req", "AT> AT+QLAOBSRSP="])
        #expect(screen.contains("/19 BinaryAppDataContainer"), "\(screen)")
        #expect(screen.contains("/19/0/0 req"))
        #expect(screen.contains("registered (2)"))
        #expect(screen.contains(#"AT> AT+QLAOBSRSP="#))
        try session.keys("Enter")
        screen = try session.waitFor(["+QLAOBSRSP: 0", "/19/0/0 obs"])
        #expect(screen.contains("/19/0/0 obs"), "\(screen)")
        // Resizing keeps every pane.
        try session.tmux(["resize-window", "-t", "0", "-x", "100", "-y", "30"])
        screen = try session.waitFor(["AT log", "LwM2M status", "Objects", "AT command", "/19/0/0 obs"])
        #expect(screen.split(separator: "\n").count <= 30)
        #expect(screen.contains("/19/0/0 obs"), "\(screen)")
        // Ctrl-C quits like F10 (raw mode makes it a key).
        try session.keys("C-c")
        screen = try session.waitFor(["EXITED 0", "icanon", "echoe"])
        #expect(screen.contains("EXITED 0"), "\(screen)")
    }

    @Test(.enabled(if: available)) func addedObjectShowsInTheTreeAt80x24() throws {
        let session = Session()
        try session.start(width: 80, height: 24)
        _ = try session.waitFor(["+CPIN: READY", "Objects"])
        try session.keys("AT+QLAADDOBJ=19,0,1,0", "Enter")
        let screen = try session.waitFor(["/19 BinaryAppDataContainer"])
        #expect(screen.contains("> AT+QLAADDOBJ=19,0,1,0"), "\(screen)")
        #expect(screen.contains("/19 BinaryAppDataContainer"), "\(screen)")
        #expect(screen.contains("/19/0/0"), "\(screen)")
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
        try session.keys("F10")
        #expect(try session.waitFor(["EXITED 0"]).contains("EXITED 0"))
    }

    /// The console's process id: the child of the pane's shell.
    func consolePID(_ session: Session) throws -> Int32 {
        let shell = try session.tmux(["list-panes", "-t", "0", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return try #require(children.split(separator: " ").first.flatMap { Int32($0) })
    }

    @Test(.enabled(if: available)) func aSignalRestoresTheTerminalToo() throws {
        let session = Session()
        try session.start(width: 80, height: 24)
        _ = try session.waitFor(["+CPIN: READY"])
        kill(try consolePID(session), SIGTERM)
        let screen = try session.waitFor(["EXITED 143", "icanon", "echoe"])
        #expect(screen.contains("EXITED 143"), "\(screen)")
        #expect(screen.contains(" icanon") && screen.contains(" echo "), "\(screen)")
    }

    /// A crash: the fault signals a bug raises (a bad access, a Swift trap, an abort). The
    /// driver's handler leaves curses mode, then the signal kills the process as usual.
    @Test(.enabled(if: available), arguments: [SIGSEGV, SIGILL, SIGABRT, SIGTRAP])
    func aCrashStillRestoresTheTerminal(signal: Int32) throws {
        let session = Session()
        try session.start(width: 80, height: 24)
        _ = try session.waitFor(["+CPIN: READY", "F10 Quit"])
        kill(try consolePID(session), signal)
        let screen = try session.waitFor(["EXITED \(128 + signal)", "icanon", "echoe"])
        #expect(screen.contains("EXITED \(128 + signal)"), "\(screen)")
        #expect(screen.contains(" icanon") && screen.contains(" echo "), "\(screen)")
        #expect(!screen.contains("AT log"), "the alternate screen is gone")
    }

    @Test(.enabled(if: available)) func f8ScrollsACrowdedObjectTree() throws {
        let session = Session()
        try session.start(width: 80, height: 24)
        _ = try session.waitFor(["+CPIN: READY"])
        // Four instances (the module's most) and the built-in line: more than a 4-row tree.
        for instance in 0..<4 { try session.keys("AT+QLAADDOBJ=19,\(instance),1,0", "Enter") }
        var screen = try session.waitFor(["> AT+QLAADDOBJ=19,3,1,0", "more (F8 scrolls)"])
        #expect(screen.contains("more (F8 scrolls)"), "\(screen)")
        #expect(!screen.contains("/19/3/0"))
        try session.keys("F8")
        _ = try session.waitFor(["F8 log"])
        try session.keys("NPage", "NPage", "NPage")
        screen = try session.waitFor(["/19/3/0", "above"])
        #expect(screen.contains("/19/3/0") && screen.contains("above"), "\(screen)")
        try session.keys("F10")
        #expect(try session.waitFor(["EXITED 0"]).contains("EXITED 0"))
    }

    /// The F1 page keeps its frame on every row, Chinese text and wrapped lines included: the
    /// right border sits in the same terminal column all the way down.
    @Test(.enabled(if: available)) func theReferencePageKeepsItsFrame() throws {
        let session = Session()
        try session.start(width: 120, height: 36)
        _ = try session.waitFor(["+CPIN: READY"])
        try session.keys("-l", "AT+QLAOBSRSP=")
        try session.keys("F1")
        // Until the whole page is on the screen: tmux may show a frame while it still arrives.
        func page(_ rows: [String]) -> (top: Int, bottom: Int)? {
            guard let top = rows.firstIndex(where: { $0.contains("Reference · AT+QLAOBSRSP") }),
                  let bottom = rows.indices.last(where: { rows[$0].dropFirst(2).hasPrefix("└") }), bottom > top else { return nil }
            return (top, bottom)
        }
        var rows: [String] = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            rows = try session.waitFor(["Reference · AT+QLAOBSRSP", "响应订阅请求"])
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        } while page(rows) == nil && Date() < deadline && usleep(100_000) == 0
        let (top, bottom) = try #require(page(rows), "\(rows.joined(separator: "\n"))")
        #expect(bottom - top == 36 - 3 - 1, "the page spans the screen: \(top)...\(bottom)")
        let right = 120 - 3
        for row in top...bottom {
            let line = rows[row]
            var column = 0
            var atRight: Character?
            for c in line {
                if column == right { atRight = c }
                column += CharacterWidth.columns(c)
            }
            let expected: Character = row == top ? "┐" : row == bottom ? "┘" : "│"
            #expect(atRight == expected, "row \(row): \(line)")
        }
        #expect(rows[top...bottom].contains { $0.contains("订阅") }, "Chinese text on the page")
        try session.keys("Escape")
        try session.keys("F10")
        #expect(try session.waitFor(["EXITED 0"]).contains("EXITED 0"))
    }
}
